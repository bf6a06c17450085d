namespace AspService.Server.Identity;

/// <summary>
/// Tenant browser sessions' names: schemes, policies and claims. The cookies themselves are set up by
/// <see cref="TenantCookieHandler"/>.
/// </summary>
public static class TenantAuth
{
    public const string Scheme = "tenant";
    public const string SecondFactorScheme = "tenant-2fa";
    public const string UserPolicy = "TenantUser";
    public const string AdminPolicy = "TenantAdmin";
    public const string TenantClaim = "tid";
    public const string StampClaim = "stamp";
}
