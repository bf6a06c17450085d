namespace AspService.Server.Audit;

/// <summary>One entry as stored.</summary>
public sealed record AuditRow(long Sequence, DateTimeOffset At, string Action, string Actor, string? Subject, string? Detail, string? Client);
