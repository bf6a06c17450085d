namespace AspService.Server.Audit;

/// <summary>One part of an entry's detail: a key (null for a bare word) and its values.</summary>
public sealed record AuditDetailPart(string? Key, IReadOnlyList<string> Values);
