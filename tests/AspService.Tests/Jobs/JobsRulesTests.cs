using AspService.Billing;
using AspService.Server.Billing;
using AspService.Server.Jobs;
using AspService.Server.Jobs.Work;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using AspService.Common;

namespace AspService.Tests.Jobs;

public sealed class JobsRulesTests
{
    private static readonly DateTimeOffset Dec2Jst = new(2026, 12, 2, 9, 0, 0, TimeSpan.FromHours(9));

    [Fact]
    public void DueMonths_NoPlanAssignment_Nothing() =>
        Assert.Empty(MonthlyCloseJob.DueMonths(null, new HashSet<int>(), Dec2Jst));

    [Fact]
    public void DueMonths_MissedMonths_EachEndedUnclosedMonthOnceOldestFirst()
    {
        var due = MonthlyCloseJob.DueMonths(new BillingMonth(2026, 8), new HashSet<int> { 202609 }, Dec2Jst);
        Assert.Equal([new BillingMonth(2026, 8), new BillingMonth(2026, 10), new BillingMonth(2026, 11)], due);
    }

    [Fact]
    public void DueMonths_MonthEndsAtJstMidnight_NotDueOneTickBefore()
    {
        var november = new BillingMonth(2026, 11);
        Assert.Empty(MonthlyCloseJob.DueMonths(november, new HashSet<int>(), november.End.AddTicks(-1)));
        Assert.Equal([november], MonthlyCloseJob.DueMonths(november, new HashSet<int>(), november.End));
    }

    [Fact]
    public void DueMonths_AllClosed_Nothing() =>
        Assert.Empty(MonthlyCloseJob.DueMonths(new BillingMonth(2026, 10), new HashSet<int> { 202610, 202611 }, Dec2Jst));

    [Theory]
    [InlineData(10, 5, false)]
    [InlineData(11, 5, true)]
    [InlineData(0, 5, false)]
    public void IsOverdue_MoreThanTwicePeriod_Overdue(int minutesSince, int periodMinutes, bool overdue) =>
        Assert.Equal(overdue, RecurringJobs.IsOverdue(TimeSpan.FromMinutes(minutesSince), TimeSpan.FromMinutes(periodMinutes)));

    [Fact]
    public void LacksTenant_TenantJobWithEmptyId_True() =>
        Assert.True(TenantJobFilter.LacksTenant(Job.FromExpression<LinkReapingJob>(j => j.RunAsync(Guid.Empty, CancellationToken.None))));

    [Fact]
    public void LacksTenant_TenantJobWithId_False() =>
        Assert.False(TenantJobFilter.LacksTenant(Job.FromExpression<AuditVerifyJob>(j => j.RunAsync(Guid.NewGuid(), CancellationToken.None))));

    [Fact]
    public void LacksTenant_JobNotTenantScoped_False() =>
        Assert.False(TenantJobFilter.LacksTenant(Job.FromExpression<MonthlyCloseJob>(j => j.RunAsync(CancellationToken.None))));

    [Fact]
    public void IsPermanent_WrappedPermanentFailure_True()
    {
        Assert.True(JobRetryFilter.IsPermanent(new JobPerformanceException("filter failed", new PermanentJobException("no tenant"))));
        Assert.False(JobRetryFilter.IsPermanent(new InvalidOperationException("database down")));
        Assert.False(JobRetryFilter.IsPermanent(null));
    }

    [Fact]
    public void Schedules_AllInTokyoTime_OneRecurringJobPerKind()
    {
        Assert.Equal(TimeSpan.FromHours(9), Jst.SchedulerZone.BaseUtcOffset);
        Assert.Equal(RecurringJobs.All.Count, RecurringJobs.All.Select(k => k.Id).Distinct().Count());
    }
}
