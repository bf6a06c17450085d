using Microsoft.AspNetCore.Http.HttpResults;

namespace AspService.Server.Consoles;

/// <summary>
/// Pages call the same services as the JSON API; these read the service's answer: the value of a 200, or the
/// (already localized) message of a problem, a field's own message first.
/// </summary>
public static class ResultReader
{
    public static T? Value<T>(IResult result) where T : class => (result as Ok<T>)?.Value;

    public static string Message(IResult result, string? field = null) => result is ProblemHttpResult problem
        ? Message(problem.ProblemDetails.Extensions.TryGetValue("errors", out var errors) ? errors as IDictionary<string, string[]> : null,
            problem.ProblemDetails.Title ?? "", field)
        : "";

    /// <summary>The same for a use case's failure: a field's own message first, else any field's, else the title.</summary>
    public static string Message(AspService.Common.Failure? failure, string? field = null) =>
        failure is null ? "" : Message(failure.Fields, failure.Title, field);

    private static string Message(IEnumerable<KeyValuePair<string, string[]>>? fields, string title, string? field)
    {
        if (fields is not null)
        {
            var byField = fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
            if (field is not null && byField.TryGetValue(field, out var own) && own.Length > 0)
            {
                return own[0];
            }

            if (byField.Values.FirstOrDefault(v => v.Length > 0) is { } any)
            {
                return any[0];
            }
        }

        return title;
    }
}
