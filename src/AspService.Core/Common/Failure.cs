namespace AspService.Common;

/// <summary>
/// Why a use case did nothing: a stable code (the problem type's last segment), a status hint the HTTP edge maps
/// to its answer, a title already in the caller's language, and field messages keyed by the API's field names.
/// </summary>
public sealed record Failure(string Code, int Status, string Title, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public bool Is(string code) => string.Equals(Code, code, StringComparison.Ordinal);
}
