using System.Globalization;
using AspService.Policy;

namespace AspService.Tests.Sessions;

public sealed class OfficeCalendarTests
{
    [Theory]
    [InlineData("2024-12-27", OfficeClosedReasons.None)] // 御用納め, a Friday
    [InlineData("2024-12-28", OfficeClosedReasons.Saturday)]
    [InlineData("2024-12-29", OfficeClosedReasons.Sunday | OfficeClosedReasons.YearEnd)]
    [InlineData("2024-12-30", OfficeClosedReasons.YearEnd)]
    [InlineData("2024-12-31", OfficeClosedReasons.YearEnd)]
    [InlineData("2025-01-01", OfficeClosedReasons.Holiday | OfficeClosedReasons.YearEnd)]
    [InlineData("2025-01-02", OfficeClosedReasons.YearEnd)]
    [InlineData("2025-01-03", OfficeClosedReasons.YearEnd)]
    [InlineData("2025-01-04", OfficeClosedReasons.Saturday)]
    [InlineData("2025-01-06", OfficeClosedReasons.None)] // 御用始め
    [InlineData("2023-01-01", OfficeClosedReasons.Sunday | OfficeClosedReasons.Holiday | OfficeClosedReasons.YearEnd)]
    [InlineData("2023-01-02", OfficeClosedReasons.Holiday | OfficeClosedReasons.YearEnd)] // 振替休日 inside 年末年始
    [InlineData("2025-01-13", OfficeClosedReasons.Holiday)] // 成人の日
    [InlineData("2025-02-24", OfficeClosedReasons.Holiday)] // 振替休日
    [InlineData("2026-09-22", OfficeClosedReasons.Holiday)] // 国民の休日
    [InlineData("2024-09-22", OfficeClosedReasons.Sunday | OfficeClosedReasons.Holiday)]
    [InlineData("2025-11-22", OfficeClosedReasons.Saturday)]
    [InlineData("2025-02-28", OfficeClosedReasons.None)] // month end
    [InlineData("2024-02-29", OfficeClosedReasons.None)] // leap day, a Thursday
    public void Check_Date_Reasons(string date, OfficeClosedReasons expected)
    {
        var day = OfficeCalendar.Check(Day(date));

        Assert.Equal(expected, day.Reasons);
        Assert.Equal(expected != OfficeClosedReasons.None, day.IsClosed);
        Assert.Equal(expected != OfficeClosedReasons.None, OfficeCalendar.IsOfficeClosed(Day(date)));
    }

    [Theory]
    [InlineData("2024-12-28", false)]
    [InlineData("2024-12-29", true)]
    [InlineData("2024-12-31", true)]
    [InlineData("2025-01-01", true)]
    [InlineData("2025-01-03", true)]
    [InlineData("2025-01-04", false)]
    [InlineData("2025-06-30", false)]
    public void IsYearEnd_Date_Result(string date, bool expected)
    {
        Assert.Equal(expected, OfficeCalendar.IsYearEnd(Day(date)));
    }

    [Theory]
    [InlineData("2025-01-04", false)] // plain Saturday: the weekday list governs weekends
    [InlineData("2024-12-30", true)]
    [InlineData("2025-01-13", true)]
    [InlineData("2025-01-06", false)]
    public void IsClosedOnWeekday_Date_OnlyHolidaysAndYearEnd(string date, bool expected)
    {
        Assert.Equal(expected, OfficeCalendar.Check(Day(date)).IsClosedOnWeekday);
    }

    [Fact]
    public void Describe_NewYearOnSunday_EveryReasonInBothLanguages()
    {
        var text = OfficeCalendar.Check(Day("2023-01-01")).Describe();

        Assert.Equal("元日・年末年始・日曜日", text.Ja);
        Assert.Equal("New Year's Day, year-end and New Year closure, Sunday", text.En);
    }

    [Fact]
    public void Check_Holiday_CarriesTheHoliday()
    {
        Assert.Equal("振替休日", OfficeCalendar.Check(Day("2025-02-24")).Holiday?.Name);
        Assert.Null(OfficeCalendar.Check(Day("2024-12-30")).Holiday);
    }

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
