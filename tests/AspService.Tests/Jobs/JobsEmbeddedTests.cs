using AspService.Tests.Infrastructure;

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
    public async Task MonthlyClose_MissedMonths_ClosedExactlyOnceWhenJobsRoleReturns()
    {
        await JobScenarios.MissedMonths_JobsRoleComesBack_EachClosedExactlyOnceAsync(previous =>
            new AppFactory(settings: JobScenarios.Settings(jobsRole: previous is not null), dataRoot: previous?.DataRoot));
    }
}
