using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AspService.Server.Identity;

/// <summary>
/// Counts failed sign-ins per tenant and client address in fixed one-minute windows of the service clock
/// (<see cref="TimeProvider"/>, so tests move it); past <see cref="RateLimitOptions.FailedSignInsPerTenantPerMinute"/>
/// the address is refused in that tenant for the rest of the window, whatever account it tries next.
/// </summary>
public sealed class SignInFailureLimiter(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, (long Window, int Count)> _failures = new(StringComparer.Ordinal);

    public static string Key(string scope, string? client) => scope + "|" + (client ?? "local");

    public bool IsBlocked(string key) =>
        _failures.TryGetValue(key, out var entry) && entry.Window == Window() && entry.Count >= options.Value.FailedSignInsPerTenantPerMinute;

    public void RecordFailure(string key)
    {
        var window = Window();
        _failures.AddOrUpdate(key, (window, 1), (_, e) => e.Window == window ? (window, e.Count + 1) : (window, 1));
        if (_failures.Count > PruneAbove)
        {
            foreach (var old in _failures.Where(e => e.Value.Window != window))
            {
                _failures.TryRemove(old);
            }
        }
    }

    /// <summary>Seconds until the current window ends (for Retry-After).</summary>
    public int SecondsLeft() => 60 - (int)(time.GetUtcNow().ToUnixTimeSeconds() % 60);

    private long Window() => time.GetUtcNow().ToUnixTimeSeconds() / 60;
}
