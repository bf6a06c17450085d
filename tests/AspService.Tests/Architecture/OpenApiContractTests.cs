using System.Net.Http.Json;
using System.Text.Json;
using AspService.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AspService.Tests.Architecture;

/// <summary>
/// The API's contract is explicit (issue 13): every operation has a name, every JSON body a request schema and every
/// 2xx answer a declared content type, with a schema where it is JSON. Routes that read a body without declaring it
/// fail at <c>JsonBody</c> in every test that reaches them.
/// </summary>
public sealed class OpenApiContractTests(SqliteHost host, ITestOutputHelper output) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task EveryOperation_IsNamed_AndDeclaresItsBodiesAndAnswers()
    {
        var doc = await host.App.ClientFor().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var missing = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        int operations = 0, bodies = 0, answers = 0;
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                operations++;
                var where = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (!operation.Value.TryGetProperty("operationId", out var id) || !names.Add(id.GetString()!))
                {
                    missing.Add($"{where}: no unique operationId (.WithName)");
                }

                if (operation.Value.TryGetProperty("requestBody", out var body))
                {
                    bodies++;
                    missing.AddRange(MissingSchemas(where + " request", body));
                }

                var ok = operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
                if (ok.Count == 0)
                {
                    missing.Add($"{where}: no 2xx answer declared");
                }

                // 202 and 204 carry no body here: the work is queued, or there is nothing to say.
                foreach (var response in ok.Where(r => r.Name is not ("202" or "204")))
                {
                    answers++;
                    if (!response.Value.TryGetProperty("content", out var content) || !content.EnumerateObject().Any())
                    {
                        missing.Add($"{where} {response.Name}: no content type (.Produces)");
                        continue;
                    }

                    missing.AddRange(MissingSchemas($"{where} {response.Name}", response.Value));
                }
            }
        }

        output.WriteLine($"{operations} operations, {bodies} request bodies, {answers} 2xx answers; {missing.Count} gaps");
        foreach (var gap in missing)
        {
            output.WriteLine(gap);
        }

        Assert.True(operations >= 100, $"only {operations} operations documented");
        Assert.True(bodies >= 25, $"only {bodies} request bodies documented");
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("/api/v1/users", "post")]
    [InlineData("/api/v1/ops/tenants", "post")]
    [InlineData("/api/v1/policy", "put")]
    [InlineData("/api/v1/enrollments", "post")]
    public async Task KnownBodies_HaveObjectSchemas(string path, string method)
    {
        var doc = await host.App.ClientFor().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var schema = doc.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var resolved = schema.TryGetProperty("$ref", out var reference)
            ? doc.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
        Assert.True(resolved.GetProperty("properties").EnumerateObject().Any());
    }

    private static IEnumerable<string> MissingSchemas(string where, JsonElement holder)
    {
        if (!holder.TryGetProperty("content", out var content))
        {
            yield return $"{where}: no content";
            yield break;
        }

        foreach (var media in content.EnumerateObject().Where(m => m.Name.Contains("json", StringComparison.Ordinal)))
        {
            if (!media.Value.TryGetProperty("schema", out var schema) || !schema.EnumerateObject().Any())
            {
                yield return $"{where}: {media.Name} without a schema";
            }
        }
    }
}
