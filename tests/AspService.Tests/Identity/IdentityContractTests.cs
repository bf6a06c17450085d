using System.Text.Json;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Identity;

/// <summary>The typed contract of the Identity and Tokens routes in <c>/openapi/v1.json</c>.</summary>
public sealed class IdentityContractTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private static readonly string[] Tags = ["Tenant sign-in", "Tenant users", "Operator sign-in", "Tokens"];

    // The routes that read a JSON body (through JsonBody, so only Accepts<T> tells OpenAPI about it).
    private static readonly string[] JsonBodies =
    [
        "POST /api/v1/auth/login", "POST /api/v1/auth/totp", "POST /api/v1/auth/recovery", "POST /api/v1/auth/invitation/accept",
        "POST /api/v1/auth/password/forgot", "POST /api/v1/auth/password/reset", "POST /api/v1/users", "PUT /api/v1/users/{id}/role",
        "POST /api/v1/ops/auth/login", "POST /api/v1/ops/auth/totp", "POST /api/v1/ops/me/password",
    ];

    [Fact]
    public async Task EveryIdentityOperation_IsNamed_WithRequestAndResponseSchemas()
    {
        using var doc = JsonDocument.Parse(await host.App.ClientFor().GetStringAsync("/openapi/v1.json"));
        var seen = new List<string>();
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _)))
            {
                var tags = operation.Value.TryGetProperty("tags", out var t) ? t.EnumerateArray().Select(x => x.GetString()).ToList() : [];
                if (!tags.Any(Tags.Contains))
                {
                    continue;
                }

                var name = operation.Name.ToUpperInvariant() + " " + path.Name;
                seen.Add(name);
                Assert.True(operation.Value.TryGetProperty("operationId", out _), name + " has no name");
                if (JsonBodies.Contains(name))
                {
                    Assert.True(operation.Value.TryGetProperty("requestBody", out var body)
                        && body.GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _), name + " has no request schema");
                }

                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')))
                {
                    if (response.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/json", out var json))
                    {
                        Assert.True(json.TryGetProperty("schema", out _), name + " " + response.Name + " has no response schema");
                    }
                }
            }
        }

        Assert.All(JsonBodies, b => Assert.Contains(b, seen));
    }
}
