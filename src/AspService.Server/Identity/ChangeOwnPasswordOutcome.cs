namespace AspService.Server.Identity;

/// <summary>
/// Done, or why not, by field (<c>current</c>, <c>new</c>) and code: <see cref="CurrentWrong"/>, <see cref="Locked"/>, <see cref="Reauthentication.RateLimited"/>,
/// or a <see cref="AspService.Identity.PasswordRules"/> rule. Callers put the codes into words.
/// </summary>
public sealed record ChangeOwnPasswordOutcome(IReadOnlyList<(string Field, string Code)> Errors)
{
    public const string CurrentWrong = Reauthentication.CurrentWrong;
    public const string Locked = Reauthentication.Locked;

    public bool Succeeded => Errors.Count == 0;
}
