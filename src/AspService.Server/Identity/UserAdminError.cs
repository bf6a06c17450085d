namespace AspService.Server.Identity;

/// <summary>Why an administrator's change to a user did nothing.</summary>
public enum UserAdminError
{
    /// <summary>Field errors (see <see cref="UserAdminOutcome.Fields"/>).</summary>
    Invalid,

    /// <summary>No such user in this tenant (another tenant's id looks the same).</summary>
    NotFound,

    /// <summary>An invitation to an address that already has an account.</summary>
    Exists,

    /// <summary>A new invitation to a user who already set a password.</summary>
    NotPending,

    /// <summary>An administrator acting on their own account (disable, delete, role, MFA reset).</summary>
    SelfChange,
}
