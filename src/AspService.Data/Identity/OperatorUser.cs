using Microsoft.AspNetCore.Identity;

namespace AspService.Data.Identity;

/// <summary>A provider operator (ASP事業者). Lives in the catalog, outside every tenant.</summary>
public sealed class OperatorUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";

    /// <summary>TOTP secret, encrypted with Data Protection; null until enrolled.</summary>
    public string? TotpSecretProtected { get; set; }

    /// <summary>Last TOTP time step accepted, so a code works only once.</summary>
    public long? TotpLastStep { get; set; }

    /// <summary>Administrators may change things in the jobs dashboard; others only read.</summary>
    public bool IsAdministrator { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// A password someone else chose (the one-time password of <c>operators create</c>): usable only to set the
    /// operator's own password, and only until <see cref="PasswordExpiresAt"/>.
    /// </summary>
    public bool PasswordChangeRequired { get; set; }

    /// <summary>When a temporary password stops working; null for a password the operator chose.</summary>
    public DateTimeOffset? PasswordExpiresAt { get; set; }
}
