namespace AspService.Server.Identity;

/// <summary>A signed-in operator replaces their own password (the one-time CLI password, or any later one).</summary>
public sealed record ChangeOperatorPasswordCommand(string? CurrentPassword, string? NewPassword);
