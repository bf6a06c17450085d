using System.Globalization;
using AspService.Policy;

namespace AspService.Tests.Sessions;

public sealed class JapaneseHolidaysTests
{
    // Written out from the Cabinet Office's 「国民の祝日について」 lists. The Cabinet Office writes 「休日」 for both
    // 振替休日 and 国民の休日, and 「休日（祝日扱い）」 for the 2019 special days; the names here are the law's.
    public static TheoryData<int, string[]> KnownYears => new()
    {
        {
            2019,
            [
                "01-01 元日", "01-14 成人の日", "02-11 建国記念の日", "03-21 春分の日", "04-29 昭和の日",
                "04-30 国民の休日", "05-01 天皇の即位の日", "05-02 国民の休日", "05-03 憲法記念日", "05-04 みどりの日",
                "05-05 こどもの日", "05-06 振替休日", "07-15 海の日", "08-11 山の日", "08-12 振替休日", "09-16 敬老の日",
                "09-23 秋分の日", "10-14 体育の日", "10-22 即位礼正殿の儀", "11-03 文化の日", "11-04 振替休日",
                "11-23 勤労感謝の日",
            ]
        },
        {
            2020,
            [
                "01-01 元日", "01-13 成人の日", "02-11 建国記念の日", "02-23 天皇誕生日", "02-24 振替休日",
                "03-20 春分の日", "04-29 昭和の日", "05-03 憲法記念日", "05-04 みどりの日", "05-05 こどもの日",
                "05-06 振替休日", "07-23 海の日", "07-24 スポーツの日", "08-10 山の日", "09-21 敬老の日", "09-22 秋分の日",
                "11-03 文化の日", "11-23 勤労感謝の日",
            ]
        },
        {
            2021,
            [
                "01-01 元日", "01-11 成人の日", "02-11 建国記念の日", "02-23 天皇誕生日", "03-20 春分の日",
                "04-29 昭和の日", "05-03 憲法記念日", "05-04 みどりの日", "05-05 こどもの日", "07-22 海の日",
                "07-23 スポーツの日", "08-08 山の日", "08-09 振替休日", "09-20 敬老の日", "09-23 秋分の日", "11-03 文化の日",
                "11-23 勤労感謝の日",
            ]
        },
        {
            2024,
            [
                "01-01 元日", "01-08 成人の日", "02-11 建国記念の日", "02-12 振替休日", "02-23 天皇誕生日",
                "03-20 春分の日", "04-29 昭和の日", "05-03 憲法記念日", "05-04 みどりの日", "05-05 こどもの日",
                "05-06 振替休日", "07-15 海の日", "08-11 山の日", "08-12 振替休日", "09-16 敬老の日", "09-22 秋分の日",
                "09-23 振替休日", "10-14 スポーツの日", "11-03 文化の日", "11-04 振替休日", "11-23 勤労感謝の日",
            ]
        },
        {
            2025,
            [
                "01-01 元日", "01-13 成人の日", "02-11 建国記念の日", "02-23 天皇誕生日", "02-24 振替休日",
                "03-20 春分の日", "04-29 昭和の日", "05-03 憲法記念日", "05-04 みどりの日", "05-05 こどもの日",
                "05-06 振替休日", "07-21 海の日", "08-11 山の日", "09-15 敬老の日", "09-23 秋分の日", "10-13 スポーツの日",
                "11-03 文化の日", "11-23 勤労感謝の日", "11-24 振替休日",
            ]
        },
        {
            2026,
            [
                "01-01 元日", "01-12 成人の日", "02-11 建国記念の日", "02-23 天皇誕生日", "03-20 春分の日",
                "04-29 昭和の日", "05-03 憲法記念日", "05-04 みどりの日", "05-05 こどもの日", "05-06 振替休日",
                "07-20 海の日", "08-11 山の日", "09-21 敬老の日", "09-22 国民の休日", "09-23 秋分の日",
                "10-12 スポーツの日", "11-03 文化の日", "11-23 勤労感謝の日",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(KnownYears))]
    public void InYear_KnownYear_MatchesCabinetOfficeList(int year, string[] expected)
    {
        var actual = JapaneseHolidays.InYear(year)
            .Select(h => h.Date.ToString("MM-dd", CultureInfo.InvariantCulture) + " " + h.Name);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("2019-04-30", HolidayKind.CitizensHoliday)] // between 昭和の日 and the accession day
    [InlineData("2019-05-01", HolidayKind.SpecialHoliday)]
    [InlineData("2019-05-02", HolidayKind.CitizensHoliday)]
    [InlineData("2019-05-06", HolidayKind.SubstituteHoliday)]
    [InlineData("2019-10-22", HolidayKind.SpecialHoliday)]
    [InlineData("2020-07-24", HolidayKind.NationalHoliday)]
    [InlineData("2021-08-09", HolidayKind.SubstituteHoliday)] // 山の日 moved onto a Sunday for the Games
    public void Find_SpecialYears_Kind(string date, HolidayKind kind)
    {
        Assert.Equal(kind, JapaneseHolidays.Find(Day(date))?.Kind);
    }

    [Theory]
    [InlineData("2009-05-06", "振替休日")] // 5/3 Sunday; 5/4 and 5/5 are holidays, so the substitute rolls to Wednesday
    [InlineData("2008-05-06", "振替休日")] // みどりの日 on Sunday, こどもの日 on Monday
    [InlineData("2015-05-06", "振替休日")]
    [InlineData("2020-05-06", "振替休日")]
    [InlineData("2009-09-22", "国民の休日")] // first silver week
    [InlineData("2015-09-22", "国民の休日")]
    [InlineData("2026-09-22", "国民の休日")]
    [InlineData("2032-09-21", "国民の休日")]
    [InlineData("1988-05-04", "国民の休日")] // first 国民の休日 (1985 amendment)
    [InlineData("1973-04-30", "振替休日")] // first 振替休日 (1973 amendment)
    [InlineData("1992-05-04", "振替休日")] // old rule: the sandwiched Monday is the substitute, not a 国民の休日
    [InlineData("2018-12-24", "振替休日")] // last 12/23 天皇誕生日 fell on a Sunday
    public void Find_SubstituteAndCitizensEdges_Named(string date, string name)
    {
        Assert.Equal(name, JapaneseHolidays.Find(Day(date))?.Name);
    }

    [Theory]
    [InlineData("1973-02-12")] // 建国記念の日 on Sunday before the 1973 amendment: no substitute yet
    [InlineData("1997-05-04")] // sandwiched Sunday before 2007 was not a 国民の休日
    [InlineData("2003-05-04")]
    [InlineData("2019-12-23")] // no 天皇誕生日 in 2019
    [InlineData("2019-02-23")]
    [InlineData("2020-10-12")] // スポーツの日 moved to July in 2020
    [InlineData("2021-10-11")]
    [InlineData("2020-07-20")] // 海の日 moved to 7/23 in 2020
    [InlineData("2020-08-11")]
    [InlineData("2021-08-11")]
    [InlineData("2015-08-11")] // before 山の日
    [InlineData("1995-07-20")] // before 海の日
    [InlineData("1966-02-11")] // before 建国記念の日
    [InlineData("1948-05-03")] // the law took effect on 1948-07-20
    [InlineData("1948-07-19")]
    [InlineData("1900-01-01")]
    [InlineData("2025-12-31")]
    [InlineData("2025-01-02")] // 年末年始 is an office rule, not a holiday
    public void Find_OrdinaryDay_Null(string date)
    {
        Assert.Null(JapaneseHolidays.Find(Day(date)));
        Assert.False(JapaneseHolidays.IsHoliday(Day(date)));
    }

    [Theory]
    [InlineData("1959-04-10", "皇太子明仁親王の結婚の儀")]
    [InlineData("1989-02-24", "昭和天皇の大喪の礼")]
    [InlineData("1990-11-12", "即位礼正殿の儀")]
    [InlineData("1993-06-09", "皇太子徳仁親王の結婚の儀")]
    [InlineData("2019-05-01", "天皇の即位の日")]
    [InlineData("2019-10-22", "即位礼正殿の儀")]
    public void Find_RoyalEvent_SpecialHoliday(string date, string name)
    {
        var holiday = JapaneseHolidays.Find(Day(date));
        Assert.Equal(name, holiday?.Name);
        Assert.Equal(HolidayKind.SpecialHoliday, holiday?.Kind);
    }

    [Theory]
    [InlineData("1999-01-15", "成人の日")]
    [InlineData("2000-01-10", "成人の日")] // Happy Monday from 2000: second Monday of January
    [InlineData("1999-10-10", "体育の日")]
    [InlineData("2000-10-09", "体育の日")]
    [InlineData("2019-10-14", "体育の日")]
    [InlineData("2022-10-10", "スポーツの日")]
    [InlineData("1996-07-20", "海の日")]
    [InlineData("2002-07-20", "海の日")]
    [InlineData("2003-07-21", "海の日")] // third Monday of July from 2003
    [InlineData("1966-09-15", "敬老の日")]
    [InlineData("2002-09-15", "敬老の日")]
    [InlineData("2004-09-20", "敬老の日")] // third Monday of September from 2003
    [InlineData("1966-10-10", "体育の日")]
    [InlineData("1967-02-11", "建国記念の日")]
    [InlineData("1988-04-29", "天皇誕生日")]
    [InlineData("1989-04-29", "みどりの日")]
    [InlineData("1989-12-23", "天皇誕生日")]
    [InlineData("2006-04-29", "みどりの日")]
    [InlineData("2007-04-29", "昭和の日")]
    [InlineData("2007-05-04", "みどりの日")]
    [InlineData("2016-08-11", "山の日")]
    [InlineData("2020-02-23", "天皇誕生日")]
    [InlineData("1948-09-23", "秋分の日")]
    [InlineData("1948-11-23", "勤労感謝の日")]
    [InlineData("1949-01-01", "元日")]
    [InlineData("2100-01-01", "元日")]
    public void Find_HistoricalChanges_Named(string date, string name)
    {
        Assert.Equal(name, JapaneseHolidays.Find(Day(date))?.Name);
    }

    [Fact]
    public void InYear_1948_OnlyHolidaysAfterTheLawTookEffect()
    {
        var dates = JapaneseHolidays.InYear(1948).Select(h => h.Date);
        Assert.Equal([Day("1948-09-23"), Day("1948-11-03"), Day("1948-11-23")], dates);
    }

    [Theory]
    [InlineData(1948, "1948-09-23")]
    [InlineData(1951, "1951-09-24")]
    [InlineData(1979, "1979-09-24")]
    [InlineData(1980, "1980-09-23")]
    [InlineData(2012, "2012-09-22")]
    [InlineData(2016, "2016-09-22")]
    [InlineData(2019, "2019-09-23")]
    [InlineData(2020, "2020-09-22")]
    [InlineData(2024, "2024-09-22")]
    [InlineData(2025, "2025-09-23")]
    [InlineData(2099, "2099-09-23")]
    [InlineData(2100, "2100-09-23")]
    public void AutumnalEquinox_Year_Day(int year, string expected)
    {
        Assert.Equal(Day(expected), JapaneseHolidays.AutumnalEquinox(year));
    }

    [Theory]
    [InlineData(1949, "1949-03-21")]
    [InlineData(1960, "1960-03-20")]
    [InlineData(1979, "1979-03-21")]
    [InlineData(1980, "1980-03-20")]
    [InlineData(2019, "2019-03-21")]
    [InlineData(2023, "2023-03-21")]
    [InlineData(2024, "2024-03-20")]
    [InlineData(2026, "2026-03-20")]
    [InlineData(2099, "2099-03-20")]
    [InlineData(2100, "2100-03-20")] // the 2100–2150 coefficients: 2100 is not a leap year
    [InlineData(2101, "2101-03-21")]
    public void VernalEquinox_Year_Day(int year, string expected)
    {
        Assert.Equal(Day(expected), JapaneseHolidays.VernalEquinox(year));
    }

    [Theory]
    [InlineData(1947)]
    [InlineData(2151)]
    [InlineData(0)]
    public void InYear_UnsupportedYear_Throws(int year)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JapaneseHolidays.InYear(year));
        Assert.Throws<ArgumentOutOfRangeException>(() => JapaneseHolidays.VernalEquinox(year));
    }

    [Fact]
    public void Find_AfterLastYear_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JapaneseHolidays.Find(Day("2151-01-01")));
    }

    // Invariants over the whole supported range: what the law says must hold in every year, not only in the years
    // written out above.
    [Fact]
    public void InYear_EveryYear_SortedUniqueAndInItsYear()
    {
        for (var year = JapaneseHolidays.FirstYear; year <= JapaneseHolidays.LastYear; year++)
        {
            var holidays = JapaneseHolidays.InYear(year);
            Assert.All(holidays, h => Assert.Equal(year, h.Date.Year));
            Assert.Equal(holidays.Select(h => h.Date).Order(), holidays.Select(h => h.Date));
            Assert.Equal(holidays.Count, holidays.Select(h => h.Date).Distinct().Count());
        }
    }

    [Fact]
    public void InYear_FromModernRules_EverySundayHolidayHasItsSubstitute()
    {
        for (var year = 2007; year <= JapaneseHolidays.LastYear; year++)
        {
            var holidays = JapaneseHolidays.InYear(year);
            var statutory = holidays.Where(IsStatutory).Select(h => h.Date).ToHashSet();
            foreach (var sunday in statutory.Where(d => d.DayOfWeek == DayOfWeek.Sunday))
            {
                var next = sunday.AddDays(1);
                while (statutory.Contains(next))
                {
                    next = next.AddDays(1);
                }

                Assert.Equal(HolidayKind.SubstituteHoliday, JapaneseHolidays.Find(next)?.Kind);
            }

            // And no substitute without a Sunday holiday before it.
            foreach (var substitute in holidays.Where(h => h.Kind == HolidayKind.SubstituteHoliday))
            {
                var previous = substitute.Date.AddDays(-1);
                while (statutory.Contains(previous) && previous.DayOfWeek != DayOfWeek.Sunday)
                {
                    previous = previous.AddDays(-1);
                }

                Assert.True(statutory.Contains(previous) && previous.DayOfWeek == DayOfWeek.Sunday, $"{substitute.Date:O}");
            }
        }
    }

    [Fact]
    public void InYear_EveryYear_CitizensHolidayIsBetweenTwoStatutoryHolidays()
    {
        for (var year = JapaneseHolidays.FirstYear; year <= JapaneseHolidays.LastYear; year++)
        {
            foreach (var holiday in JapaneseHolidays.InYear(year).Where(h => h.Kind == HolidayKind.CitizensHoliday))
            {
                Assert.True(IsStatutory(JapaneseHolidays.Find(holiday.Date.AddDays(-1))), $"{holiday.Date:O}");
                Assert.True(IsStatutory(JapaneseHolidays.Find(holiday.Date.AddDays(1))), $"{holiday.Date:O}");
                Assert.True(holiday.Date >= new DateOnly(1985, 12, 27));
            }
        }
    }

    [Fact]
    public void InYear_EveryYear_HappyMondayHolidaysOnMonday()
    {
        string[] mondays = ["成人の日", "海の日", "敬老の日", "体育の日", "スポーツの日"];
        for (var year = 2003; year <= JapaneseHolidays.LastYear; year++)
        {
            if (year is 2020 or 2021)
            {
                continue; // Olympic moves
            }

            var named = JapaneseHolidays.InYear(year).Where(h => mondays.Contains(h.Name)).ToList();
            Assert.Equal(4, named.Count);
            Assert.All(named, h => Assert.Equal(DayOfWeek.Monday, h.Date.DayOfWeek));
        }
    }

    [Fact]
    public void InYear_EveryYear_NamedInBothLanguages()
    {
        for (var year = JapaneseHolidays.FirstYear; year <= JapaneseHolidays.LastYear; year++)
        {
            Assert.All(JapaneseHolidays.InYear(year), h =>
            {
                Assert.False(string.IsNullOrWhiteSpace(h.Name));
                Assert.False(string.IsNullOrWhiteSpace(h.EnglishName));
            });
        }
    }

    private static bool IsStatutory(Holiday? holiday) =>
        holiday?.Kind is HolidayKind.NationalHoliday or HolidayKind.SpecialHoliday;

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
