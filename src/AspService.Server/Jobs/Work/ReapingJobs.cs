using AspService.Data.Catalog;
using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Server.Relay;
using AspService.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Jobs.Work;

/// <summary>
/// Daily reaping: reports provisioning that has been unfinished for too long (it is resumed by the
/// tenant-operations job; a report means a step keeps failing), deletes old relay commands and long-gone relay
/// nodes from the catalog, and fans out one link-reaping and one session-reaping job per tenant.
/// </summary>
public sealed class ReapingJob(
    JobRunner runner,
    IBackgroundJobClient jobs,
    IDbContextFactory<CatalogDbContext> catalogs,
    TimeProvider time,
    IOptions<JobsOptions> options,
    JobMetrics metrics,
    ILogger<ReapingJob> logger)
{
    public Task<string> RunAsync(CancellationToken ct) =>
        runner.RunRecurringAsync(RecurringJobs.Reaping, async (_, token) =>
        {
            var stale = await StaleProvisioningAsync(token);
            foreach (var tenantId in stale)
            {
                logger.LogWarning("Tenant {TenantId} has been provisioning for more than {Hours} hours", tenantId, options.Value.StaleProvisioningAfter.TotalHours);
            }

            metrics.StaleProvisioning(stale.Count);
            var (commands, nodes) = await ReapRelayCatalogAsync(token);
            var tenants = await runner.LiveTenantsAsync(token);
            foreach (var tenantId in tenants)
            {
                jobs.Enqueue<LinkReapingJob>(j => j.RunAsync(tenantId, CancellationToken.None));
                jobs.Enqueue<SessionReapingJob>(j => j.RunAsync(tenantId, CancellationToken.None));
            }

            return $"{tenants.Count} tenants queued for link and session reaping; {stale.Count} stale provisionings reported; "
                + $"{commands} relay commands and {nodes} relay nodes removed";
        }, ct);

    /// <summary>Relay commands older than an hour (every node has long applied them) and nodes gone for a week.</summary>
    public async Task<(int Commands, int Nodes)> ReapRelayCatalogAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var commandsBefore = now - CommandRetention;
        var nodesBefore = now - NodeRetention;
        await using var catalog = await catalogs.CreateDbContextAsync(ct);
        var commands = await catalog.RelayCommands.Where(c => c.CreatedAt < commandsBefore).ExecuteDeleteAsync(ct);
        var nodes = await catalog.RelayNodes.Where(n => (n.StoppedAt != null && n.StoppedAt < nodesBefore) || n.LastHeartbeatAt < nodesBefore)
            .ExecuteDeleteAsync(ct);
        return (commands, nodes);
    }

    public static readonly TimeSpan CommandRetention = TimeSpan.FromHours(1);
    public static readonly TimeSpan NodeRetention = TimeSpan.FromDays(7);

    public async Task<IReadOnlyList<Guid>> StaleProvisioningAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow() - options.Value.StaleProvisioningAfter;
        await using var catalog = await catalogs.CreateDbContextAsync(ct);
        return await catalog.Tenants.AsNoTracking()
            .Where(t => t.State == TenantState.Provisioning && t.StateChangedAt < before)
            .OrderBy(t => t.Code).Select(t => t.Id).ToListAsync(ct);
    }
}

/// <summary>Deletes one tenant's expired invitation and password-reset links (they can never be used again).</summary>
public sealed class LinkReapingJob(JobRunner runner, TimeProvider time)
{
    public const string Kind = "link-reaping";

    [TenantJob]
    public Task<string> RunAsync(Guid tenantId, CancellationToken ct) =>
        runner.RunForTenantAsync(Kind, tenantId, async (services, token) =>
        {
            var now = time.GetUtcNow();
            var db = services.GetRequiredService<TenantDbContext>();
            var removed = await db.LinkTokens.Where(l => l.ExpiresAt <= now).ExecuteDeleteAsync(token);
            return $"{removed} expired links removed";
        }, ct);
}

/// <summary>
/// One tenant's stale relay state: unused enrollment tokens expired more than a week ago are deleted; sessions still
/// <c>Requested</c> after their ticket expired end as <c>office_timeout</c>, and <c>Live</c> sessions whose relay node
/// is no longer alive end as <c>relay_lost</c> (that node cannot be piping them any more).
/// </summary>
public sealed class SessionReapingJob(JobRunner runner, RelayNodeDirectory nodes, TimeProvider time)
{
    public const string Kind = "session-reaping";
    public const string RelayLost = Relay.EndReasons.RelayLost;

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
