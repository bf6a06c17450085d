namespace AspService.Server.Identity;

/// <summary>A signed-in user asks for a new set of recovery codes; the current password proves it is them.</summary>
public sealed record RenewRecoveryCodesCommand(string? CurrentPassword);
