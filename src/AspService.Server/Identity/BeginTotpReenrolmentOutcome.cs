namespace AspService.Server.Identity;

/// <summary>
/// The new key to show (QR code and key for manual entry), or why not: <see cref="Reauthentication.CurrentWrong"/>,
/// <see cref="Reauthentication.Locked"/>, <see cref="Reauthentication.RateLimited"/>. Callers put the code into words.
/// </summary>
public sealed record BeginTotpReenrolmentOutcome(TotpKey? Key, string? Error)
{
    public bool Succeeded => Key is not null;
}
