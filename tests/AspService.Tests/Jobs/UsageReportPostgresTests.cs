using AspService.Data;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Jobs;

/// <summary>The usage-report job on PostgreSQL with Hangfire's PostgreSQL storage.</summary>
[Collection(PostgresGroup.Name)]
public sealed class UsageReportPostgresTests(PostgresCluster cluster)
{
    [Fact]
    public async Task ReportJobs_RunTwice_SameStateAsOnce()
    {
        using var app = new AppFactory(DatabaseProvider.PostgreSql, cluster.ServerConnectionString, await cluster.CreateDatabaseAsync("jobs_" + Guid.NewGuid().ToString("N")[..8]),
            JobScenarios.Settings());
        var (ops, a, b) = await UsageReportJobTests.ReportedTenantsAsync(app);
        var once = await UsageReportJobTests.ReportsAsync(app);

        var again = await UsageReportJobTests.RunReportJobsAsync(app);
        var twice = await UsageReportJobTests.ReportsAsync(app);
        var summary = await ops.GetStringAsync("/api/v1/ops/billing/usage-reports/2026-10/summary.csv");

        Assert.Equal(2, once.Count);
        Assert.Equal("no report due", again);
        Assert.Equal(once, twice);
        Assert.Contains($"2026-10,{a.Tenant.Code},{a.Tenant.Name},3,4,7,2.50,", summary, StringComparison.Ordinal);
        Assert.Contains($"2026-10,{b.Tenant.Code},", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissedMonths_JobsRoleComesBack_EachReportMadeExactlyOnce()
    {
        var catalog = await cluster.CreateDatabaseAsync("jobs_" + Guid.NewGuid().ToString("N")[..8]);
        await UsageReportJobTests.MissedMonthsScenarioAsync(previous =>
            new AppFactory(DatabaseProvider.PostgreSql, cluster.ServerConnectionString, catalog, JobScenarios.Settings(jobsRole: previous is not null)));
    }
}
