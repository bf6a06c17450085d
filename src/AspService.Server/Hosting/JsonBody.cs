using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;

namespace AspService.Server.Hosting;

/// <summary>
/// Reads a JSON request body strictly: malformed JSON, unknown fields and wrong types become a 400
/// problem naming the field, instead of a framework 400 without detail or a 500.
/// </summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        Converters = { new JsonStringEnumConverter() },
        // Named, so that the contract can be read (unknown members) before anything is deserialized.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public const int MaxBytes = 64 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = false, MaxDepth = 64 };

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireContract<T>(request.HttpContext);
        if (request.ContentLength > MaxBytes)
        {
            return (null, Problems.Field("$", Text.Get("too_long", MaxBytes)));
        }

        if (!request.HasJsonContentType())
        {
            return (null, Problems.Field("$", Text.Get("malformed_json")));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, DocumentOptions, ct);
        }
        catch (JsonException)
        {
            return (null, Problems.Field("$", Text.Get("malformed_json")));
        }

        using (document)
        {
            // Unknown members are named by comparing with the contract, not by reading the serializer's English message.
            if (UnknownMember(document.RootElement, Options.GetTypeInfo(typeof(T))) is { } unknown)
            {
                return (null, Problems.Field(FieldName(unknown), Text.Get("unknown_field")));
            }

            try
            {
                var value = document.RootElement.Deserialize<T>(Options);
                return value is null ? (null, Problems.Field("$", Text.Get("required"))) : (value, null);
            }
            catch (JsonException ex)
            {
                // The text parsed and every member is known: what is left is a value of the wrong type.
                return (null, Problems.Field(FieldName(ex.Path), Text.Get("wrong_type")));
            }
        }
    }

    /// <summary>Reads the body strictly, then hands it on; a bad body answers its problem and nothing runs.</summary>
    public static async Task<IResult> WithAsync<T>(HttpContext http, Func<T, Task<IResult>> handle, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(handle);
        var (body, problem) = await ReadAsync<T>(http.Request, ct);
        return problem is not null ? problem : await handle(body!);
    }

    /// <summary>Reads the body strictly, then runs the use case: its value as 200, its failure (or the bad body's) as a problem.</summary>
    public static async Task<Results<Ok<TDto>, ProblemHttpResult>> ThenAsync<TBody, TDto>(HttpRequest request, Func<TBody, Task<AspService.Common.Outcome<TDto>>> run, CancellationToken ct)
        where TBody : class
    {
        ArgumentNullException.ThrowIfNull(run);
        var (body, problem) = await ReadAsync<TBody>(request, ct);
        return problem is not null ? problem : (await run(body!)).ToOk();
    }

    /// <summary>
    /// A route that reads a body must say so (<c>.Accepts&lt;T&gt;("application/json")</c>), or the OpenAPI document
    /// has no request schema for it: a programming error, so every test that reaches the route fails on it.
    /// </summary>
    private static void RequireContract<T>(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint is not null && endpoint.Metadata.GetOrderedMetadata<IAcceptsMetadata>().All(a => a.RequestType != typeof(T)))
        {
            throw new InvalidOperationException($"{endpoint.DisplayName} reads a {typeof(T).Name} body but does not declare .Accepts<{typeof(T).Name}>(\"application/json\").");
        }
    }

    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    /// <summary>The first member (in nested objects and arrays too) the contract does not have, as a JSON path.</summary>
    private static string? UnknownMember(JsonElement element, JsonTypeInfo contract, string prefix = "$")
    {
        if (element.ValueKind == JsonValueKind.Array && contract.Kind == JsonTypeInfoKind.Enumerable && contract.ElementType is { } itemType)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (UnknownMember(item, Options.GetTypeInfo(itemType), $"{prefix}[{index++}]") is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.Object || contract.Kind != JsonTypeInfoKind.Object)
        {
            return null;
        }

        foreach (var member in element.EnumerateObject())
        {
            var path = prefix + "." + member.Name;
            var property = contract.Properties.FirstOrDefault(p => string.Equals(p.Name, member.Name, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                return path;
            }

            if (UnknownMember(member.Value, Options.GetTypeInfo(property.PropertyType), path) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }
}
