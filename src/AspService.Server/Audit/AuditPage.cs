namespace AspService.Server.Audit;

/// <summary>
/// A page of entries, newest first; <see cref="Names"/> maps each user and terminal id that appears (actor, subject or
/// in the detail) to the name people know, so screens and exports never show a bare id where a name exists.
/// </summary>
public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, IReadOnlyDictionary<string, string> Names, long? Before);
