using AspService.Billing;
using AspService.Server.Jobs;
using Hangfire;

namespace AspService.Server.Billing;

/// <summary>Hourly (and so at day end): one metering job per live tenant for the running JST month.</summary>
public sealed class UsageRollupJob(JobRunner runner, IBackgroundJobClient jobs, TimeProvider time)
{
    public Task<string> RunAsync(CancellationToken ct) =>
        runner.RunRecurringAsync(RecurringJobs.UsageRollup, async (_, token) =>
        {
            var month = BillingMonth.Of(time.GetUtcNow()).Key;
            var tenants = await runner.LiveTenantsAsync(token);
            foreach (var tenantId in tenants)
            {
                jobs.Enqueue<UsageMeterJob>(j => j.RunAsync(tenantId, month, CancellationToken.None));
            }

            return $"{tenants.Count} tenants queued for metering of {BillingMonth.FromKey(month)}";
        }, ct);
}

/// <summary>Meters one tenant's month from its database into the catalog (idempotent: the roll-ups are replaced).</summary>
public sealed class UsageMeterJob(JobRunner runner)
{
    public const string Kind = "usage-meter";

    [TenantJob]
    public Task<string> RunAsync(Guid tenantId, int month, CancellationToken ct) =>
        runner.RunForTenantAsync(Kind, tenantId, async (services, token) =>
        {
            var measured = await services.GetRequiredService<Metering>().MeterAsync(BillingMonth.FromKey(month), token);
            return $"{BillingMonth.FromKey(month)}: {measured.Days.Count} days, {measured.ActiveUsers} active users";
        }, ct);
}
