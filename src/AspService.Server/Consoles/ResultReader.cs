using Microsoft.AspNetCore.Http.HttpResults;

namespace AspService.Server.Consoles;

/// <summary>
/// Pages call the same services as the JSON API; these read the service's answer: the value of a 200, or the
/// (already localized) message of a problem, a field's own message first.
/// </summary>
public static class ResultReader
{
    public static T? Value<T>(IResult result) where T : class => (result as Ok<T>)?.Value;

    public static string Message(IResult result, string? field = null)
    {
        if (result is not ProblemHttpResult problem)
        {
            return "";
        }

        if (problem.ProblemDetails.Extensions.TryGetValue("errors", out var errors) && errors is IDictionary<string, string[]> byField)
        {
            if (field is not null && byField.TryGetValue(field, out var own) && own.Length > 0)
            {
                return own[0];
            }

            if (byField.Values.FirstOrDefault(v => v.Length > 0) is { } any)
            {
                return any[0];
            }
        }

        return problem.ProblemDetails.Title ?? "";
    }

    /// <summary>The same for a use case's failure: a field's own message first, else any field's, else the title.</summary>
    public static string Message(AspService.Common.Failure? failure, string? field = null)
    {
        if (failure is null)
        {
            return "";
        }

        if (failure.Fields is { } byField)
        {
            if (field is not null && byField.TryGetValue(field, out var own) && own.Length > 0)
            {
                return own[0];
            }

            if (byField.Values.FirstOrDefault(v => v.Length > 0) is { } any)
            {
                return any[0];
            }
        }

        return failure.Title;
    }
}
