using AspService.Data.Identity;

namespace AspService.Server.Identity;

/// <summary>
/// Operator sessions' names (schemes, policy, claims) and the temporary-password rule. The sign-in steps are
/// <see cref="OperatorSignInFlow"/>; the cookies are set by <see cref="OperatorAuthEndpoints"/> and <see cref="OperatorCookieHandler"/>.
/// </summary>
public static class OperatorAuth
{
    public const string Scheme = "ops";
    public const string SecondFactorScheme = "ops-2fa";
    public const string Policy = "Operator";
    public const string AdminClaim = "ops_admin";

    /// <summary>Present while the operator still signs in with a temporary password: only /me and /me/password answer.</summary>
    public const string PasswordChangeClaim = "pwd_change";

    /// <summary>A temporary password past its lifetime opens nothing. Pure.</summary>
    public static bool TemporaryPasswordExpired(OperatorUser user, DateTimeOffset now) =>
        user is { PasswordChangeRequired: true, PasswordExpiresAt: { } expires } && expires <= now;
}
