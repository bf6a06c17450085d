using AspService.Data.Catalog;
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
