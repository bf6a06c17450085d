namespace AspService.Server.Terminals;

/// <summary>A new token: the value is in this answer only (the database keeps its hash).</summary>
public sealed record CreatedTokenDto(Guid Id, string Token, string Kind, DateTimeOffset ExpiresAt, string? Name, Guid? TerminalId, Guid? OwnerUserId, bool RequiresApproval);
