namespace AspService.Server.Identity;

/// <summary>A signed-in user asks for a new authenticator key (a new phone); the current password proves it is them.</summary>
public sealed record BeginTotpReenrolmentCommand(string? CurrentPassword);
