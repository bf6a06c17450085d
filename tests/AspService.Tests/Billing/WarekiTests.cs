using AspService.Billing;

namespace AspService.Tests.Billing;

public sealed class WarekiTests
{
    [Theory]
    [InlineData(2026, 12, 3, "令和8年12月3日")]
    [InlineData(2019, 4, 30, "平成31年4月30日")]
    [InlineData(2019, 5, 1, "令和元年5月1日")]
    [InlineData(2019, 12, 31, "令和元年12月31日")]
    [InlineData(2020, 1, 1, "令和2年1月1日")]
    [InlineData(1989, 1, 7, "昭和64年1月7日")]
    [InlineData(1989, 1, 8, "平成元年1月8日")]
    [InlineData(1990, 1, 1, "平成2年1月1日")]
    [InlineData(2026, 4, 1, "令和8年4月1日")]
    public void Format_AroundEraBoundaries_FirstYearIsGannen(int year, int month, int day, string expected) =>
        Assert.Equal(expected, Wareki.Format(new DateOnly(year, month, day)));

    [Theory]
    [InlineData(2026, "令和8年度")]
    [InlineData(2020, "令和2年度")]
    [InlineData(2019, "令和元年度")]
    [InlineData(2018, "平成30年度")]
    [InlineData(1989, "平成元年度")]
    [InlineData(1988, "昭和63年度")]
    public void FiscalYear_NamedByTheEraAtTheEndOfItsFirstCalendarYear(int fiscalYear, string expected) =>
        Assert.Equal(expected, Wareki.FiscalYear(fiscalYear));

    [Fact]
    public void EraYear_EveryDayFrom2018To2031_ReiwaFromMay2019_YearsCountFromTheEraStart()
    {
        for (var d = new DateOnly(2018, 1, 1); d < new DateOnly(2032, 1, 1); d = d.AddDays(1))
        {
            var (era, year) = Wareki.EraYear(d);
            var reiwa = d >= new DateOnly(2019, 5, 1);
            Assert.Equal(reiwa ? "令和" : "平成", era);
            Assert.Equal(reiwa ? d.Year - 2018 : d.Year - 1988, year);
        }
    }

    [Fact]
    public void Format_BeforeMeiji_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Wareki.Format(new DateOnly(1868, 1, 1)));
}
