using AspService.Billing;
using AspService.Data.Catalog;
using AspService.Server.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Billing.Stripe;

/// <summary>Daily: one Stripe sync job per live tenant that has Stripe enabled (nothing when Stripe is not configured).</summary>
public sealed class StripeSyncJob(JobRunner runner, IBackgroundJobClient jobs, IDbContextFactory<CatalogDbContext> catalogs, IOptions<StripeOptions> stripe)
{
    public Task<string> RunAsync(CancellationToken ct) =>
        runner.RunRecurringAsync(RecurringJobs.StripeSync, async (_, token) =>
        {
            if (!stripe.Value.IsConfigured)
            {
                return "Stripe not configured";
            }

            var live = await runner.LiveTenantsAsync(token);
            await using var catalog = await catalogs.CreateDbContextAsync(token);
            var enabled = (await catalog.TenantStripeAccounts.AsNoTracking().Where(a => a.Enabled).Select(a => a.TenantId).ToListAsync(token)).ToHashSet();
            var tenants = live.Where(enabled.Contains).ToList();
            foreach (var tenantId in tenants)
            {
                jobs.Enqueue<StripeSyncTenantJob>(j => j.RunAsync(tenantId, CancellationToken.None));
            }

            return $"{tenants.Count} tenants queued for Stripe sync";
        }, ct);
}

/// <summary>
/// Syncs every closed month of one tenant whose current invoice is not finalized in Stripe yet, oldest first
/// (decision 0022: <see cref="StripeSync"/> is idempotent and skips confirmed steps). Stripe unreachable or
/// 409/429/5xx: the job fails and Hangfire retries it with backoff. Stripe 4xx: retrying cannot help, so the job
/// fails permanently (logged as an error and counted by the retry filter) after trying the other months.
/// </summary>
public sealed class StripeSyncTenantJob(JobRunner runner, ILogger<StripeSyncTenantJob> logger)
{
    public const string Kind = "stripe-sync-tenant";

    [TenantJob]
    public Task<string> RunAsync(Guid tenantId, CancellationToken ct) =>
        runner.RunForTenantAsync(Kind, tenantId, async (services, token) =>
        {
            var catalog = services.GetRequiredService<CatalogDbContext>();
            var due = await DueMonthsAsync(catalog, tenantId, token);
            var sync = services.GetRequiredService<StripeSync>();
            var synced = new List<string>();
            var rejected = new List<string>();
            foreach (var month in due)
            {
                var result = await sync.SyncTenantMonthAsync(tenantId, month, token);
                if (result.Retryable)
                {
                    // Later months wait too: Stripe is down or busy, and the retry starts again from this month.
                    throw new InvalidOperationException($"Stripe sync of {month} failed, will retry: {result.Error}");
                }

                if (result.Outcome is StripeSync.Outcome.NotEnabled or StripeSync.Outcome.NotConfigured)
                {
                    // Disabled (or the key removed) since the fan-out: nothing to do for any month.
                    return "skipped: Stripe " + (result.Outcome == StripeSync.Outcome.NotEnabled ? "not enabled for the tenant" : "not configured");
                }

                if (result.Outcome == StripeSync.Outcome.Rejected)
                {
                    logger.LogError("Stripe rejected the sync of tenant {TenantId} for {Month}: {Error}", tenantId, month, result.Error);
                    rejected.Add($"{month} ({result.Error})");
                    continue;
                }

                synced.Add($"{month} {result.Outcome}");
            }

            if (rejected.Count > 0)
            {
                throw new PermanentJobException("Stripe rejected " + string.Join(", ", rejected));
            }

            return due.Count == 0 ? "nothing to sync" : "synced " + string.Join(", ", synced);
        }, ct);

    /// <summary>Closed months with a current (not cancelled) invoice of the tenant that Stripe has not finalized.</summary>
    public static async Task<IReadOnlyList<BillingMonth>> DueMonthsAsync(CatalogDbContext catalog, Guid tenantId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var closed = await catalog.BillingCloses.AsNoTracking().Select(c => c.Month).ToListAsync(ct);
        var invoices = await catalog.Invoices.AsNoTracking().Where(i => i.TenantId == tenantId && closed.Contains(i.Month))
            .Select(i => new { i.Id, i.Month, i.CancelsInvoiceId }).ToListAsync(ct);
        var cancelled = invoices.Where(i => i.CancelsInvoiceId is not null).Select(i => i.CancelsInvoiceId!.Value).ToHashSet();
        var finalized = (await catalog.StripeInvoiceSyncs.AsNoTracking().Where(s => s.TenantId == tenantId && s.FinalizedAt != null)
            .Select(s => s.InvoiceId).ToListAsync(ct)).ToHashSet();
        return [.. invoices.Where(i => !cancelled.Contains(i.Id) && !finalized.Contains(i.Id)).Select(i => i.Month).Distinct().Order().Select(BillingMonth.FromKey)];
    }
}
