using AspService.Billing;

namespace AspService.Tests.Billing;

public sealed class BillingMonthTests
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    [Fact]
    public void Split_SessionAcrossMonthEnd_SplitsAtJstMidnight()
    {
        // 23:30 JST on 31 October to 01:00 JST on 1 November.
        var from = new DateTimeOffset(2026, 10, 31, 23, 30, 0, Jst);
        var to = new DateTimeOffset(2026, 11, 1, 1, 0, 0, Jst);

        var slices = JstDays.Split(from, to);

        Assert.Equal(2, slices.Count);
        Assert.Equal(new DateOnly(2026, 10, 31), slices[0].Day);
        Assert.Equal(30 * 60, slices[0].Seconds);
        Assert.Equal(new BillingMonth(2026, 10), slices[0].Month);
        Assert.Equal(new DateOnly(2026, 11, 1), slices[1].Day);
        Assert.Equal(60 * 60, slices[1].Seconds);
        Assert.Equal(new BillingMonth(2026, 11), slices[1].Month);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, Jst), slices[0].To);
        Assert.Equal(slices[0].To, slices[1].From);
    }

    [Fact]
    public void Split_UtcInput_UsesJstDaysNotUtcDays()
    {
        // 14:00–16:00 UTC is 23:00–01:00 JST: two JST days, though one UTC day.
        var slices = JstDays.Split(new DateTimeOffset(2026, 3, 31, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 31, 16, 0, 0, TimeSpan.Zero));

        Assert.Equal([new DateOnly(2026, 3, 31), new DateOnly(2026, 4, 1)], slices.Select(s => s.Day));
        Assert.All(slices, s => Assert.Equal(3600, s.Seconds));
        Assert.NotEqual(slices[0].Month.FiscalYear, slices[1].Month.FiscalYear);
    }

    [Fact]
    public void Split_MultiDay_CoversEveryDayAndTotalLength()
    {
        var from = new DateTimeOffset(2026, 12, 30, 12, 0, 0, Jst);
        var to = new DateTimeOffset(2027, 1, 2, 6, 15, 0, Jst);

        var slices = JstDays.Split(from, to);

        Assert.Equal(4, slices.Count);
        Assert.Equal((long)(to - from).TotalSeconds, slices.Sum(s => s.Seconds));
        Assert.Equal([12 * 3600L, 24 * 3600L, 24 * 3600L, (6 * 3600L) + (15 * 60)], slices.Select(s => s.Seconds));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void Split_EmptyOrInverted_NoSlices(int minutes)
    {
        var from = new DateTimeOffset(2026, 5, 1, 10, 0, 0, Jst);
        Assert.Empty(JstDays.Split(from, from.AddMinutes(minutes)));
    }

    [Fact]
    public void Split_EndsExactlyAtMidnight_OneSlice()
    {
        var slices = JstDays.Split(new DateTimeOffset(2026, 5, 1, 23, 0, 0, Jst), new DateTimeOffset(2026, 5, 2, 0, 0, 0, Jst));
        Assert.Equal(new DateOnly(2026, 5, 1), Assert.Single(slices).Day);
    }

    [Theory]
    [InlineData(2026, 4, 2026)]
    [InlineData(2026, 12, 2026)]
    [InlineData(2027, 1, 2026)]
    [InlineData(2027, 3, 2026)]
    [InlineData(2027, 4, 2027)]
    public void FiscalYear_AprilToMarch(int year, int month, int fiscalYear) =>
        Assert.Equal(fiscalYear, new BillingMonth(year, month).FiscalYear);

    [Fact]
    public void FiscalYearMonths_AprilThroughNextMarch()
    {
        var months = BillingMonth.FiscalYearMonths(2026);
        Assert.Equal(12, months.Count);
        Assert.Equal(new BillingMonth(2026, 4), months[0]);
        Assert.Equal(new BillingMonth(2026, 12), months[8]);
        Assert.Equal(new BillingMonth(2027, 1), months[9]);
        Assert.Equal(new BillingMonth(2027, 3), months[11]);
        Assert.All(months, m => Assert.Equal(2026, m.FiscalYear));
    }

    [Fact]
    public void Boundaries_AreJstMidnights()
    {
        var month = new BillingMonth(2026, 2);
        Assert.Equal(new DateTimeOffset(2026, 1, 31, 15, 0, 0, TimeSpan.Zero), month.Start);
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 15, 0, 0, TimeSpan.Zero), month.End);
        Assert.Equal(new DateOnly(2026, 2, 28), month.LastDay);
        Assert.Equal(28, month.Days);
        Assert.Equal(29, new BillingMonth(2028, 2).Days);
        Assert.Equal(new BillingMonth(2027, 1), new BillingMonth(2026, 12).Next);
        Assert.Equal(new BillingMonth(2025, 12), new BillingMonth(2026, 1).Previous);
    }

    [Fact]
    public void HasEnded_OnlyFromJstMidnightOfTheFirst()
    {
        var october = new BillingMonth(2026, 10);
        Assert.False(october.HasEnded(new DateTimeOffset(2026, 10, 31, 14, 59, 59, TimeSpan.Zero))); // 23:59:59 JST
        Assert.True(october.HasEnded(new DateTimeOffset(2026, 10, 31, 15, 0, 0, TimeSpan.Zero))); // 00:00 JST 1 Nov
    }

    [Fact]
    public void Of_Instant_TakesJstMonth()
    {
        Assert.Equal(new BillingMonth(2026, 11), BillingMonth.Of(new DateTimeOffset(2026, 10, 31, 15, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new BillingMonth(2026, 10), BillingMonth.Of(new DateTimeOffset(2026, 10, 31, 14, 59, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("2026-10", true, 202610)]
    [InlineData("2026-01", true, 202601)]
    [InlineData("2026-13", false, 0)]
    [InlineData("2026-00", false, 0)]
    [InlineData("2026-1", false, 0)]
    [InlineData("202610", false, 0)]
    [InlineData("1999-12", false, 0)]
    [InlineData("+026-10", false, 0)]
    [InlineData(null, false, 0)]
    public void TryParse_Text(string? text, bool ok, int key)
    {
        Assert.Equal(ok, BillingMonth.TryParse(text, out var month));
        if (ok)
        {
            Assert.Equal(key, month!.Value.Key);
            Assert.Equal(text, month.Value.ToString());
            Assert.Equal(month, BillingMonth.FromKey(key));
        }
    }

    [Fact]
    public void Ordering_ByYearThenMonth()
    {
        Assert.True(new BillingMonth(2026, 12) < new BillingMonth(2027, 1));
        Assert.True(new BillingMonth(2027, 1) >= new BillingMonth(2027, 1));
    }
}
