using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

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
    };

    public const int MaxBytes = 64 * 1024;

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, Problems.Field("$", Text.Get("too_long", MaxBytes)));
        }

        if (!request.HasJsonContentType())
        {
            return (null, Problems.Field("$", Text.Get("malformed_json")));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, ct);
            return value is null ? (null, Problems.Field("$", Text.Get("required"))) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = FieldName(ex.Path);
            var message = ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? Text.Get("unknown_field")
                : ex.Message.Contains("could not be converted", StringComparison.Ordinal)
                    ? Text.Get("wrong_type")
                    : Text.Get("malformed_json");
            if (ex.Message.Contains("could not be mapped", StringComparison.Ordinal))
            {
                field = UnknownMember(ex.Message) ?? field;
            }

            return (null, Problems.Field(field, message));
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

    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    // System.Text.Json names the unknown property in its message: "The JSON property 'x' could not be mapped…".
    private static string? UnknownMember(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? message[(start + 1)..end] : null;
    }
}
