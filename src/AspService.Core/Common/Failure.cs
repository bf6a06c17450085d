namespace AspService.Common;

/// <summary>
/// Why a use case did nothing: a stable code (the problem type's last segment), a status hint the HTTP edge maps
/// to its answer, a title already in the caller's language, and field messages keyed by the API's field names.
/// </summary>
public sealed record Failure(string Code, int Status, string Title, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public bool Is(string code) => string.Equals(Code, code, StringComparison.Ordinal);

    /// <summary>One message for a form: <paramref name="field"/>'s own first, else any field's, else the title.</summary>
    public string MessageFor(string? field = null)
    {
        if (Fields is { } byField)
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

        return Title;
    }
}
