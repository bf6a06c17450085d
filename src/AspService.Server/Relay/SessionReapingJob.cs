using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Server.Jobs;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Relay;

/// <summary>
/// One tenant's stale relay state: unused enrollment tokens expired more than a week ago are deleted; sessions still
/// <c>Requested</c> after their ticket expired end as <c>office_timeout</c>, and <c>Live</c> sessions whose relay node
/// is no longer alive end as <c>relay_lost</c> (that node cannot be piping them any more).
/// </summary>
public sealed class SessionReapingJob(JobRunner runner, RelayNodeDirectory nodes, TimeProvider time)
{
    public const string Kind = "session-reaping";
    public const string RelayLost = EndReasons.RelayLost;

    /// <summary>Unused expired enrollment tokens are kept this long (an admin may still ask why one failed).</summary>
    public static readonly TimeSpan TokenRetention = TimeSpan.FromDays(7);

    /// <summary>Slack after a ticket's expiry before its session is taken as abandoned (the pairing may be mid-way).</summary>
    public static readonly TimeSpan TicketGrace = TimeSpan.FromMinutes(10);

    [TenantJob]
    public Task<string> RunAsync(Guid tenantId, CancellationToken ct) =>
        runner.RunForTenantAsync(Kind, tenantId, async (services, token) =>
        {
            var now = time.GetUtcNow();
            var db = services.GetRequiredService<TenantDbContext>();
            var tokensBefore = now - TokenRetention;
            var tokens = await db.EnrollmentTokens.Where(t => t.UsedAt == null && t.ExpiresAt < tokensBefore).ExecuteDeleteAsync(token);

            var ticketsBefore = now - TicketGrace;
            var requested = await db.Sessions.Where(s => s.State == SessionState.Requested && s.TicketExpiresAt < ticketsBefore)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, SessionState.Ended).SetProperty(s => s.EndedAt, now)
                    .SetProperty(s => s.EndReason, EndReasons.OfficeTimeout).SetProperty(s => s.Version, s => s.Version + 1), token);

            var alive = (await nodes.AliveAsync(token)).Keys.ToList();
            var lost = await db.Sessions.Where(s => s.State == SessionState.Live && !alive.Contains(s.RelayNodeId))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.State, SessionState.Ended).SetProperty(s => s.EndedAt, now)
                    .SetProperty(s => s.EndReason, RelayLost).SetProperty(s => s.Version, s => s.Version + 1), token);
            return $"{tokens} old enrollment tokens removed; {requested} requested sessions timed out; {lost} live sessions on lost relays ended";
        }, ct);
}
