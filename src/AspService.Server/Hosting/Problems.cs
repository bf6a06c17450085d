using Microsoft.AspNetCore.Http.HttpResults;
using AspService.Common;

namespace AspService.Server.Hosting;

/// <summary>RFC 9457 problem+json results with localized text; field errors keyed by JSON name.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string key, params object[] args) => Failures.Of(status, key, args).ToProblem();

    /// <summary>A problem whose title is already localized (from a feature's own text catalog).</summary>
    public static ProblemHttpResult Titled(int status, string type, string title) => Failures.Titled(status, type, title).ToProblem();

    public static ProblemHttpResult Fields(Dictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest) =>
        Failures.Fields(errors, status).ToProblem();

    public static ProblemHttpResult Field(string field, string message, int status = StatusCodes.Status400BadRequest) =>
        Failures.Field(field, message, status).ToProblem();

    public static ProblemHttpResult NotFound() => Failures.NotFound().ToProblem();
}

/// <summary>Collects field errors while validating a request.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public string? Required(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            Add(field, Text.Get("required"));
            return null;
        }

        if (trimmed.Length > maxLength)
        {
            Add(field, Text.Get("too_long", maxLength));
            return null;
        }

        return trimmed;
    }

    public string? Optional(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > maxLength)
        {
            Add(field, Text.Get("too_long", maxLength));
            return null;
        }

        return trimmed;
    }

    public string? Email(string field, string? value)
    {
        var email = Required(field, value, 256);
        if (email is not null && !EmailAddress.IsValid(email))
        {
            Add(field, Text.Get("invalid_email"));
            return null;
        }

        return email;
    }

    public ProblemHttpResult ToProblem() => Problems.Fields(ToDictionary());

    public Failure ToFailure() => Failures.Fields(ToDictionary());

    /// <summary>The messages by field, for callers that are not HTTP (pages, use cases).</summary>
    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}

public static class Validation
{
    public static bool IsPhone(string value) =>
        value.Count(char.IsAsciiDigit) is >= 6 and <= 15
        && value.All(c => char.IsAsciiDigit(c) || c is '-' or '(' or ')' or '+' or ' ');
}
