using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Relay;

/// <summary>
/// Writes that must land although the database may be away for a while: a session's end and an office PC going
/// offline. Tried once, such a write lost to an outage left the session live and the office online for good. Each
/// attempt should use a fresh context (a dead pooled connection is dropped by the failed attempt).
/// </summary>
public static class DurableWrite
{
    private const int MaxAttempts = 40; // about six minutes with the back-off below
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    public static async Task UntilWrittenAsync(Func<Task> write, ILogger logger, string what)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(logger);
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write();
                if (attempt > 1)
                {
                    logger.LogInformation("Relay: {What} written after {Attempts} attempts", what, attempt);
                }

                return;
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsDatabaseAway(ex))
            {
                if (attempt == 1)
                {
                    logger.LogWarning("Relay: {What} not written, the database is unavailable ({Error}); retrying", what, ex.GetType().Name);
                }

                // Real time on purpose: the outage is real even where the service clock is a test's fake one.
                await Task.Delay(delay, CancellationToken.None);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    private static bool IsDatabaseAway(Exception ex) =>
        ex is DbException or TimeoutException
        || (ex is DbUpdateException or InvalidOperationException && ex.InnerException is DbException or TimeoutException);
}
