using AspService.Data.Catalog;
using AspService.Data.TenantData;
using AspService.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Jobs.Work;

/// <summary>
/// Daily reaping: reports provisioning that has been unfinished for too long (it is resumed by the
/// tenant-operations job; a report means a step keeps failing), and fans out one link-reaping job per tenant.
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
            var tenants = await runner.LiveTenantsAsync(token);
            foreach (var tenantId in tenants)
            {
                jobs.Enqueue<LinkReapingJob>(j => j.RunAsync(tenantId, CancellationToken.None));
            }

            return $"{tenants.Count} tenants queued for link reaping; {stale.Count} stale provisionings reported";
        }, ct);

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
