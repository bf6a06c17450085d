namespace AspService.Server.Identity;

/// <summary>A signed-in user changes their own password (the current one proves it is them).</summary>
public sealed record ChangeOwnPasswordCommand(string? CurrentPassword, string? NewPassword);
