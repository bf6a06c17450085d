using System.Threading.RateLimiting;
using AspService.Server.Tenancy;
using Microsoft.Extensions.Options;

namespace AspService.Server.Identity;

/// <summary>The rate limiter's sign-in policy (<see cref="RateLimitPolicies.Auth"/>): partitioned per request.</summary>
public static class AuthRateLimitHandler
{
    internal static void AddAuthRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(o => o.AddPolicy(RateLimitPolicies.Auth, Partition));

    /// <summary>A tenant's own egress networks share the tenant's ceiling; any other address has its own.</summary>
    private static RateLimitPartition<string> Partition(HttpContext http)
    {
        var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var tenant = http.RequestServices.GetRequiredService<TenantAccessor>();
        var (key, limit) = tenant.Tenant is { } binding && tenant.FromEgress(http.Connection.RemoteIpAddress)
            ? ("tenant:" + binding.TenantId, limits.AuthPerTenantPerMinute)
            : ("addr:" + (http.Connection.RemoteIpAddress?.ToString() ?? "local"), limits.AuthPerClientPerMinute);
        return RateLimitPartition.GetFixedWindowLimiter(key,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }
}
