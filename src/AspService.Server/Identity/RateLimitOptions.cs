namespace AspService.Server.Identity;

/// <summary>Rate limit settings (section <c>RateLimits</c>).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>
    /// Sign-in and code attempts per client address per minute: a ceiling sized for a whole city hall behind
    /// one NAT address, not for one person (people are limited per account, guessing per tenant and address).
    /// </summary>
    public int AuthPerClientPerMinute { get; set; } = 600;

    /// <summary>Attempts per minute from a tenant's own egress networks (<c>Tenant.EgressNetworks</c>), shared by the tenant.</summary>
    public int AuthPerTenantPerMinute { get; set; } = 6000;

    /// <summary>
    /// Failed sign-ins (wrong password or code, unknown account) per tenant and client address per minute; past
    /// it that address may not try again in that tenant until the minute is over. Stops password spraying,
    /// which per-account limits and lockout do not see.
    /// </summary>
    public int FailedSignInsPerTenantPerMinute { get; set; } = 30;

    /// <summary>Sign-in and code attempts per account per minute (whatever the client address).</summary>
    public int AuthPerAccountPerMinute { get; set; } = 10;

    /// <summary>Signup applications per client address per hour.</summary>
    public int SignupsPerClientPerHour { get; set; } = 10;
}
