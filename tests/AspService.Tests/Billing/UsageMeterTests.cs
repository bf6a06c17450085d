using AspService.Billing;

namespace AspService.Tests.Billing;

public sealed class UsageMeterTests
{
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Bob = Guid.NewGuid();

    private static DateTimeOffset Jst(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(9));

    [Fact]
    public void SessionAcrossMonthEnd_IsSplitAtJstMidnight_BetweenTheTwoMonths()
    {
        MeteredSession[] sessions = [new(Alice, Jst(2026, 10, 31, 23, 30), Jst(2026, 11, 1, 1, 0))];
        var now = Jst(2026, 12, 5, 12);

        var october = UsageMeter.Measure(new BillingMonth(2026, 10), sessions, [], now);
        var november = UsageMeter.Measure(new BillingMonth(2026, 11), sessions, [], now);

        Assert.Equal(30 * 60, october.Days.Single(d => d.Day == new DateOnly(2026, 10, 31)).SessionSeconds);
        Assert.Equal(1, october.Days.Single(d => d.Day == new DateOnly(2026, 10, 31)).Sessions);
        Assert.Equal(60 * 60, november.Days.Single(d => d.Day == new DateOnly(2026, 11, 1)).SessionSeconds);
        Assert.Equal(0, november.Days.Single(d => d.Day == new DateOnly(2026, 11, 1)).Sessions); // counted on the day it started
        Assert.Equal(1, october.ActiveUsers);
        Assert.Equal(1, november.ActiveUsers);
        Assert.Equal(31, october.Days.Count);
    }

    [Fact]
    public void ActiveUsers_AreDistinctOverTheMonth_NotSummedOverDays()
    {
        MeteredSession[] sessions =
        [
            new(Alice, Jst(2026, 11, 2, 9), Jst(2026, 11, 2, 10)),
            new(Alice, Jst(2026, 11, 3, 9), Jst(2026, 11, 3, 10)),
            new(Bob, Jst(2026, 11, 3, 13), Jst(2026, 11, 3, 14)),
        ];

        var month = UsageMeter.Measure(new BillingMonth(2026, 11), sessions, [], Jst(2026, 12, 1, 0));

        Assert.Equal(2, month.ActiveUsers);
        Assert.Equal(2, month.Days.Single(d => d.Day == new DateOnly(2026, 11, 3)).ActiveUsers);
        Assert.Equal(3 * 3600, month.Days.Sum(d => d.SessionSeconds));
        Assert.Equal(3, month.Days.Sum(d => d.Sessions));
    }

    [Fact]
    public void RunningMonth_StopsAtToday_AndALiveSessionCountsUpToNow()
    {
        var now = Jst(2026, 11, 26, 12);
        MeteredSession[] sessions = [new(Alice, Jst(2026, 11, 26, 9), null)];

        var month = UsageMeter.Measure(new BillingMonth(2026, 11), sessions, [], now);

        Assert.Equal(26, month.Days.Count);
        Assert.Equal(3 * 3600, month.Days[^1].SessionSeconds);
    }

    [Fact]
    public void OfficeTerminals_CountOnEveryDayTheyWereRegistered_DeletionOnThe30thStillCounts()
    {
        MeteredTerminal[] terminals =
        [
            new(Jst(2026, 10, 1, 9), null),
            new(Jst(2026, 11, 10, 15), null),
            new(Jst(2026, 10, 1, 9), Jst(2026, 11, 30, 17)),
        ];

        var month = UsageMeter.Measure(new BillingMonth(2026, 11), [], terminals, Jst(2026, 12, 1, 0));

        Assert.Equal(2, month.Days.Single(d => d.Day == new DateOnly(2026, 11, 9)).OfficeTerminals);
        Assert.Equal(3, month.Days.Single(d => d.Day == new DateOnly(2026, 11, 10)).OfficeTerminals);
        Assert.Equal(3, month.Days.Single(d => d.Day == new DateOnly(2026, 11, 30)).OfficeTerminals);
        Assert.Equal(0, month.ActiveUsers);
    }

    [Fact]
    public void Measure_IsPure_SameInputsSameFigures()
    {
        MeteredSession[] sessions = [new(Alice, Jst(2026, 11, 2, 23), Jst(2026, 11, 3, 2))];
        var now = Jst(2026, 11, 20, 0);
        Assert.Equal(
            UsageMeter.Measure(new BillingMonth(2026, 11), sessions, [], now).Days,
            UsageMeter.Measure(new BillingMonth(2026, 11), sessions, [], now).Days);
    }
}
