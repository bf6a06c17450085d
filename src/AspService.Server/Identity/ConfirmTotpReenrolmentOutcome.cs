namespace AspService.Server.Identity;

/// <summary>
/// Done (<see cref="Error"/> null), or why not: <see cref="CodeWrong"/>, <see cref="Expired"/> (no pending key: start
/// again), <see cref="Reauthentication.Locked"/>, <see cref="Reauthentication.RateLimited"/>. While the pending key is
/// still valid, <see cref="Pending"/> carries it so the caller can show it again with the error.
/// </summary>
public sealed record ConfirmTotpReenrolmentOutcome(string? Error, TotpKey? Pending)
{
    public const string CodeWrong = "code_wrong";
    public const string Expired = "expired";

    public bool Succeeded => Error is null;
}
