using System.Globalization;
using AspService.Policy;
using AspService.Sessions;

namespace AspService.Tests.Sessions;

public sealed class SessionLimitsTests
{
    private static readonly TimeSpan Eight = TimeSpan.FromHours(8);
    private static readonly TimeSpan Thirty = TimeSpan.FromMinutes(30);

    [Theory]
    // start, last activity, now → reached
    [InlineData("2025-01-06T09:00:00+09:00", "2025-01-06T16:59:59+09:00", "2025-01-06T16:59:59+09:00", SessionLimitReasons.None)]
    [InlineData("2025-01-06T09:00:00+09:00", "2025-01-06T16:59:59+09:00", "2025-01-06T17:00:00+09:00", SessionLimitReasons.MaxLengthReached)]
    [InlineData("2025-01-06T09:00:00+09:00", "2025-01-06T09:00:00+09:00", "2025-01-06T09:29:59+09:00", SessionLimitReasons.None)]
    [InlineData("2025-01-06T09:00:00+09:00", "2025-01-06T09:00:00+09:00", "2025-01-06T09:30:00+09:00", SessionLimitReasons.IdleTimeout)]
    [InlineData("2025-01-06T09:00:00+09:00", "2025-01-06T16:00:00+09:00", "2025-01-06T17:00:00+09:00", SessionLimitReasons.MaxLengthReached | SessionLimitReasons.IdleTimeout)]
    [InlineData("2025-01-06T09:00:00+09:00", "2025-01-06T08:00:00+09:00", "2025-01-06T09:29:00+09:00", SessionLimitReasons.None)] // activity before start counts as start
    [InlineData("2025-01-06T09:00:00+09:00", "2025-01-06T10:00:00+09:00", "2025-01-06T09:45:00+09:00", SessionLimitReasons.None)] // activity "after now" (clock skew) is not idle
    // Across JST midnight, a year end and mixed offsets.
    [InlineData("2025-12-31T20:00:00+09:00", "2026-01-01T03:59:00+09:00", "2026-01-01T04:00:00+09:00", SessionLimitReasons.MaxLengthReached)]
    [InlineData("2025-12-31T20:00:00+09:00", "2025-12-31T23:45:00+09:00", "2025-12-31T15:15:00Z", SessionLimitReasons.IdleTimeout)] // 00:15 JST on 1/1
    [InlineData("2025-01-31T13:00:00Z", "2025-01-31T19:00:00Z", "2025-02-01T04:29:00+09:00", SessionLimitReasons.None)] // 22:00 JST 1/31 to 04:29 JST 2/1
    public void Check_Instants_Reached(string start, string last, string now, SessionLimitReasons expected)
    {
        var status = SessionLimits.Check(Eight, Thirty, At(start), At(last), At(now));

        Assert.Equal(expected, status.Reached);
        Assert.Equal(expected != SessionLimitReasons.None, status.MustEnd);
    }

    [Fact]
    public void Check_Running_NextCheckIsEarliestLimit()
    {
        var start = At("2025-01-06T09:00:00+09:00");

        var idleFirst = SessionLimits.Check(Eight, Thirty, start, At("2025-01-06T12:00:00+09:00"), At("2025-01-06T12:10:00+09:00"));
        var lengthFirst = SessionLimits.Check(Eight, Thirty, start, At("2025-01-06T16:50:00+09:00"), At("2025-01-06T16:55:00+09:00"));

        Assert.Equal(At("2025-01-06T12:30:00+09:00"), idleFirst.NextCheckAt);
        Assert.Equal(At("2025-01-06T17:00:00+09:00"), lengthFirst.NextCheckAt);
        Assert.Equal(At("2025-01-06T17:20:00+09:00"), lengthFirst.IdleAt);
    }

    [Fact]
    public void Check_Policy_UsesItsLimits()
    {
        var policy = TeleworkPolicy.LgwanDefault with { MaxSessionLength = TimeSpan.FromHours(1), IdleTimeout = TimeSpan.FromMinutes(5) };
        var start = At("2025-01-06T09:00:00+09:00");

        var status = SessionLimits.Check(policy, start, start.AddMinutes(58), start.AddHours(1));

        Assert.Equal(SessionLimitReasons.MaxLengthReached, status.Reached);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Check_NonPositiveLimits_EndAtOnce(int minutes)
    {
        var start = At("2025-01-06T09:00:00+09:00");

        var status = SessionLimits.Check(TimeSpan.FromMinutes(minutes), TimeSpan.FromMinutes(minutes), start, start, start);

        Assert.Equal(SessionLimitReasons.MaxLengthReached | SessionLimitReasons.IdleTimeout, status.Reached);
    }

    [Fact]
    public void Check_HugeLimits_SaturateWithoutOverflow()
    {
        var start = At("9999-12-31T20:00:00+09:00");

        var status = SessionLimits.Check(TimeSpan.MaxValue, TimeSpan.MaxValue, start, start, start.AddHours(1));

        Assert.False(status.MustEnd);
        Assert.Equal(DateTimeOffset.MaxValue, status.NextCheckAt);
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
}
