using Microsoft.AspNetCore.Identity;

namespace AspService.Data.Identity;

/// <summary>
/// A municipality's staff member or admin. Lives in that tenant's own database: the same address in two
/// municipalities is two unrelated accounts.
/// </summary>
public sealed class TenantUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";

    /// <summary>所属 (department), as the personnel system names it.</summary>
    public string? Department { get; set; }

    /// <summary>TOTP secret, encrypted with a tenant-bound Data Protection purpose; null until enrolled.</summary>
    public string? TotpSecretProtected { get; set; }

    /// <summary>Last TOTP time step accepted, so a code works only once.</summary>
    public long? TotpLastStep { get; set; }

    /// <summary>Set by an admin; a disabled user cannot sign in and loses every session.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>Soft delete: the row stays so the audit history keeps pointing at it.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A tenant role: <see cref="TenantRoles.Admin"/> or <see cref="TenantRoles.Staff"/>.</summary>
public sealed class TenantRole : IdentityRole<Guid>;

public static class TenantRoles
{
    public const string Admin = "TenantAdmin";
    public const string Staff = "Staff";

    // Fixed ids: the roles are seeded by the migration, identical in every tenant database.
    public static readonly Guid AdminId = new("0195f0a0-0000-7000-8000-000000000001");
    public static readonly Guid StaffId = new("0195f0a0-0000-7000-8000-000000000002");

    public static bool IsKnown(string? role) => role is Admin or Staff;
}

/// <summary>What a <see cref="UserLinkToken"/> allows.</summary>
public enum LinkPurpose
{
    Invitation,
    PasswordReset,
}

/// <summary>
/// A single-use link (invitation or password reset). Only the SHA-256 of the token is stored, so a copy of
/// the database does not contain usable links.
/// </summary>
public sealed class UserLinkToken
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public LinkPurpose Purpose { get; set; }

    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>One of a user's single-use recovery codes, stored hashed.</summary>
public sealed class RecoveryCode
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public required string CodeHash { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
