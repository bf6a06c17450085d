using AspService.Policy;

namespace AspService.Server.Policy;

/// <summary>
/// Saved (<see cref="View"/>), or why not: field errors, a concurrent change, or weakenings that need confirmation
/// (<see cref="Weakening"/> without a view). On success <see cref="Weakening"/> lists what was weakened.
/// </summary>
public sealed record PolicySaveOutcome(PolicyStore.PolicyView? View, IReadOnlyList<PolicyFieldError> Errors, bool Conflict, IReadOnlyList<string> Weakening)
{
    public bool Saved => View is not null;

    public bool NeedsConfirmation => View is null && !Conflict && Errors.Count == 0 && Weakening.Count > 0;
}
