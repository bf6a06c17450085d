using AspService.Billing;
using AspService.Server.Jobs;
using Hangfire;

namespace AspService.Server.Billing;

/// <summary>
/// On the 1st after the monthly close, and at every start of the jobs role after the catch-up close: one report
/// job per (live tenant, closed month without a report). Due work comes from the catalog, so a missed run
/// still produces each missed month once, and a month already reported is not made again.
/// </summary>
public sealed class UsageReportsJob(JobRunner runner, IBackgroundJobClient jobs)
{
    public Task<string> RunAsync(CancellationToken ct) =>
        runner.RunRecurringAsync(RecurringJobs.UsageReports, async (services, token) =>
        {
            var live = await runner.LiveTenantsAsync(token);
            var due = await services.GetRequiredService<UsageReports>().DueAsync(live, token);
            foreach (var (tenantId, month) in due)
            {
                var key = month.Key;
                jobs.Enqueue<UsageReportJob>(j => j.RunAsync(tenantId, key, CancellationToken.None));
            }

            return due.Count == 0 ? "no report due" : $"{due.Count} reports queued ({string.Join(", ", due.Select(d => d.Month).Distinct())})";
        }, ct);
}

/// <summary>Makes one tenant's usage report for a month (idempotent: a second run replaces the stored report with the same figures).</summary>
public sealed class UsageReportJob(JobRunner runner)
{
    public const string Kind = "usage-report";

    [TenantJob]
    public Task<string> RunAsync(Guid tenantId, int month, CancellationToken ct) =>
        runner.RunForTenantAsync(Kind, tenantId, async (services, token) =>
        {
            var report = await services.GetRequiredService<UsageReports>().CreateAsync(tenantId, BillingMonth.FromKey(month), token);
            return $"{report.Month}: {report.Sessions} sessions, {UsageReports.Hours(report.SessionSeconds)} h";
        }, ct, unit: month.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
