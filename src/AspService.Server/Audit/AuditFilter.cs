namespace AspService.Server.Audit;

/// <summary>What an administrator asks of the audit log: an action, a person (as actor or subject), JST days (inclusive).</summary>
public sealed record AuditFilter(string? Action, Guid? UserId, DateOnly? From, DateOnly? To);
