namespace AspService.Server.Identity;

/// <summary>
/// The new codes, to be shown once and never stored in the clear, or why not: <see cref="Reauthentication.CurrentWrong"/>,
/// <see cref="Reauthentication.Locked"/>, <see cref="Reauthentication.RateLimited"/>.
/// </summary>
public sealed record RenewRecoveryCodesOutcome(IReadOnlyList<string> Codes, string? Error)
{
    public bool Succeeded => Error is null;
}
