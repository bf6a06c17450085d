using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AspService.Server.Identity;

/// <summary>
/// Per-account limiter: spreading guesses over many addresses does not get around it. Bounded: idle
/// partitions are dropped by the limiter itself.
/// </summary>
public sealed class AccountRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public AccountRateLimiter(IOptions<RateLimitOptions> options)
    {
        var limit = options.Value.AuthPerAccountPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public bool TryAcquire(string account)
    {
        using var lease = _limiter.AttemptAcquire(account);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
