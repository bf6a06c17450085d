using AspService.Billing;
using AspService.Data.Catalog;
using AspService.Server.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>
/// Closes every ended month that has no close yet, oldest first, from the month of the first plan assignment
/// (decision 0040). A missed or failed run is caught up by the next one, and each month is closed once:
/// <see cref="MonthlyClose"/> is idempotent and closed months are not revisited.
/// </summary>
public sealed class MonthlyCloseJob(JobRunner runner, IDbContextFactory<CatalogDbContext> catalogs, TimeProvider time, IBackgroundJobClient jobs)
{
    public Task<string> RunAsync(CancellationToken ct) =>
        runner.RunRecurringAsync(RecurringJobs.MonthlyClose, async (services, token) =>
        {
            var due = await DueMonthsAsync(token);
            foreach (var month in due)
            {
                // Final figures first: every live tenant's month is metered again from its own database.
                foreach (var tenantId in await runner.LiveTenantsAsync(token))
                {
                    await runner.RunForTenantAsync(UsageMeterJob.Kind, tenantId, async (tenant, t) =>
                    {
                        await tenant.GetRequiredService<Metering>().MeterAsync(month, t);
                        return "metered";
                    }, token);
                }

                // A fresh scope per month: MonthlyClose keeps a DbContext and reads options per scope.
                await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<MonthlyClose>().CloseAsync(new CloseMonthCommand(month), null, token);
                if (outcome.Failure is { } refused)
                {
                    // Issuer or plan configuration is missing: retrying cannot help until an operator fixes it.
                    throw new PermanentJobException($"close of {month} refused: {refused.Code} {refused.Title}");
                }
            }

            if (due.Count > 0)
            {
                // The usage reports of the months just closed (the job finds them from the catalog).
                jobs.Enqueue<UsageReportsJob>(j => j.RunAsync(CancellationToken.None));
            }

            return due.Count == 0 ? "no month due" : "closed " + string.Join(", ", due);
        }, ct);

    public async Task<IReadOnlyList<BillingMonth>> DueMonthsAsync(CancellationToken ct)
    {
        await using var catalog = await catalogs.CreateDbContextAsync(ct);
        var first = await catalog.TenantPlanAssignments.AsNoTracking().OrderBy(a => a.EffectiveFrom).Select(a => (DateOnly?)a.EffectiveFrom).FirstOrDefaultAsync(ct);
        var closed = (await catalog.BillingCloses.AsNoTracking().Select(c => c.Month).ToListAsync(ct)).ToHashSet();
        return DueMonths(first is { } day ? BillingMonth.Of(day) : null, closed, time.GetUtcNow());
    }

    /// <summary>Ended months from <paramref name="first"/> on that are not in <paramref name="closed"/> (pure rule).</summary>
    public static IReadOnlyList<BillingMonth> DueMonths(BillingMonth? first, IReadOnlySet<int> closed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(closed);
        var due = new List<BillingMonth>();
        for (var month = first; month is { } m && m.HasEnded(now); month = m.Next)
        {
            if (!closed.Contains(m.Key))
            {
                due.Add(m);
            }
        }

        return due;
    }
}
