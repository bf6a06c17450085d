using System.Net;
using System.Net.Http.Json;
using AspService.Server.Jobs;
using AspService.Server.Jobs.Work;
using AspService.Server.Tenancy.Provisioning;
using AspService.Tests.Infrastructure;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Jobs;

/// <summary>The jobs on the embedded default: SQLite databases and Hangfire's in-memory storage.</summary>
public sealed class JobsEmbeddedTests
{
    [Fact]
    public async Task EveryJob_RunTwice_SameStateAsOnce()
    {
        using var app = new AppFactory(settings: JobScenarios.Settings());
        await JobScenarios.RunEveryJobTwice_SameStateAsOnceAsync(app);
    }

    [Fact]
    public async Task AuditVerify_BrokenChain_ReportedOnce()
    {
        using var app = new AppFactory(settings: JobScenarios.Settings());
        await JobScenarios.AuditSweep_BrokenChain_ReportedOnceAndClearedWhenWholeAsync(app);
    }

    [Fact]
    public async Task TenantJob_WithoutTenant_RefusedByFilter()
    {
        using var app = new AppFactory(settings: JobScenarios.Settings(jobsRole: true));
        await JobScenarios.TenantJob_WithoutTenant_RefusedAndTenantDataUntouchedAsync(app);
    }

    [Fact]
    public async Task TenantJob_LockHeldForSameTenant_SecondRunSkipped()
    {
        using var app = new AppFactory(settings: JobScenarios.Settings());
        await JobScenarios.TenantJob_SameTenantLockHeld_SecondRunStaysOutAsync(app);
    }

    [Fact]
    public async Task Readyz_JobsRole_UnhealthyWhenRecurringJobMissedTwoPeriods()
    {
        var settings = JobScenarios.Settings(jobsRole: true);
        settings["Jobs:TenantOperationsCron"] = "0 0 1 1 *"; // only the start-up run and the direct run below, no timer
        using var app = new AppFactory(settings: settings);
        var runs = app.Services.GetRequiredService<JobRuns>();
        await JobScenarios.WaitUntilAsync(() => runs.LastSuccess(RecurringJobs.TenantOperations.Id) is not null);
        var client = app.ClientFor();

        var fresh = await client.GetAsync("/readyz");
        app.Clock.Advance(RecurringJobs.TenantOperations.Period * 2 + TimeSpan.FromSeconds(1));
        var overdue = await client.GetAsync("/readyz");
        var body = await overdue.Content.ReadAsStringAsync();
        await app.Services.GetRequiredService<TenantOperationsJob>().RunAsync(CancellationToken.None);
        var recovered = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, overdue.StatusCode);
        Assert.Contains(RecurringJobs.TenantOperations.Id, body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task Readyz_WebRoleOnly_JobsCheckHealthy()
    {
        using var app = new AppFactory(settings: JobScenarios.Settings());
        app.Clock.Advance(TimeSpan.FromDays(90));

        var response = await app.ClientFor().GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task FailedJob_TransientRetriedLater_PermanentLeftFailed()
    {
        using var app = new AppFactory(settings: JobScenarios.Settings(jobsRole: true));
        var jobs = app.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = app.Services.GetRequiredService<JobStorage>();

        var transient = jobs.Enqueue(() => FailingJobs.Transient());
        var permanent = jobs.Enqueue(() => FailingJobs.Permanent());
        await JobScenarios.WaitUntilAsync(() => State(storage, transient) == "Scheduled");
        var final = await JobScenarios.WaitForFinalStateAsync(storage, permanent);

        var retry = storage.GetMonitoringApi().JobDetails(transient).History;
        Assert.Contains(retry, h => h.StateName == "Failed" || h.Reason?.Contains("Retry attempt", StringComparison.Ordinal) == true);
        Assert.Equal("Failed", final);
        Assert.DoesNotContain(storage.GetMonitoringApi().JobDetails(permanent).History, h => h.StateName == "Scheduled");
    }

    private static string? State(JobStorage storage, string jobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    [Fact]
    public async Task Reaping_ProvisioningUnfinishedForHours_Reported()
    {
        using var app = new AppFactory(settings: JobScenarios.Settings());
        var ops = await app.OperatorClientAsync();
        var lg = AppFactory.FreshMunicipality();
        (await ops.PostAsJsonAsync("/api/v1/ops/tenants", new { code = lg.Code, adminEmail = "admin@" + lg.Code + ".lg.example" })).EnsureSuccessStatusCode();
        var reaping = app.Services.GetRequiredService<ReapingJob>();

        var early = await reaping.StaleProvisioningAsync(CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromHours(7));
        var late = await reaping.StaleProvisioningAsync(CancellationToken.None);

        Assert.Empty(early);
        Assert.Single(late);
    }

    [Fact]
    public async Task MonthlyClose_MissedMonths_ClosedExactlyOnceWhenJobsRoleReturns()
    {
        await JobScenarios.MissedMonths_JobsRoleComesBack_EachClosedExactlyOnceAsync(previous =>
            new AppFactory(settings: JobScenarios.Settings(jobsRole: previous is not null), dataRoot: previous?.DataRoot));
    }
}

/// <summary>Jobs that fail on purpose, to see the retry policy on the real server.</summary>
public static class FailingJobs
{
    public static void Transient() => throw new InvalidOperationException("database unreachable (test)");

    public static void Permanent() => throw new PermanentJobException("configuration missing (test)");
}
