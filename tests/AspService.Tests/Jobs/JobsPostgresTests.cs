using AspService.Data;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Jobs;

/// <summary>The jobs on PostgreSQL with Hangfire's PostgreSQL storage (in the catalog database's hangfire schema).</summary>
[Collection(PostgresGroup.Name)]
public sealed class JobsPostgresTests(PostgresCluster cluster)
{
    private async Task<AppFactory> AppAsync(bool jobsRole = false) =>
        new(DatabaseProvider.PostgreSql, cluster.ServerConnectionString, await cluster.CreateDatabaseAsync("jobs_" + Guid.NewGuid().ToString("N")[..8]),
            JobScenarios.Settings(jobsRole));

    [Fact]
    public async Task EveryJob_RunTwice_SameStateAsOnce()
    {
        using var app = await AppAsync();
        await JobScenarios.RunEveryJobTwice_SameStateAsOnceAsync(app);
    }

    [Fact]
    public async Task TenantJob_WithoutTenant_RefusedByFilter()
    {
        using var app = await AppAsync(jobsRole: true);
        await JobScenarios.TenantJob_WithoutTenant_RefusedAndTenantDataUntouchedAsync(app);
    }

    [Fact]
    public async Task TenantJob_LockHeldForSameTenant_SecondRunSkipped()
    {
        using var app = await AppAsync();
        await JobScenarios.TenantJob_SameTenantLockHeld_SecondRunStaysOutAsync(app);
    }

    [Fact]
    public async Task Dashboard_Operator_NeverShowsStorageConnectionString()
    {
        var catalog = await cluster.CreateDatabaseAsync("jobs_" + Guid.NewGuid().ToString("N")[..8]);
        using var app = new AppFactory(DatabaseProvider.PostgreSql, cluster.ServerConnectionString, catalog, JobScenarios.Settings(jobsRole: true));
        var ops = await app.OperatorClientAsync();

        foreach (var page in new[] { "/ops/jobs", "/ops/jobs/servers", "/ops/jobs/recurring" })
        {
            var response = await ops.GetAsync(page);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain(catalog, html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Host=", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task MonthlyClose_MissedMonths_ClosedExactlyOnceWhenJobsRoleReturns()
    {
        var catalog = await cluster.CreateDatabaseAsync("jobs_" + Guid.NewGuid().ToString("N")[..8]);
        await JobScenarios.MissedMonths_JobsRoleComesBack_EachClosedExactlyOnceAsync(previous =>
            new AppFactory(DatabaseProvider.PostgreSql, cluster.ServerConnectionString, catalog, JobScenarios.Settings(jobsRole: previous is not null)));
    }
}
