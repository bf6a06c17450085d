namespace AspService.Server.Identity;

/// <summary>
/// The user after an administrator's change (unchanged when there was nothing to do), or why not. Field messages
/// are already in the request's language, keyed by the API's field names (email, displayName, department, role).
/// </summary>
public sealed record UserAdminOutcome(TenantUsersAdmin.UserDto? User, UserAdminError? Error, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public bool Succeeded => Error is null;

    public static UserAdminOutcome Done(TenantUsersAdmin.UserDto user) => new(user, null);

    public static UserAdminOutcome Failed(UserAdminError error) => new(null, error);

    public static UserAdminOutcome Invalid(Dictionary<string, string[]> fields) => new(null, UserAdminError.Invalid, fields);
}
