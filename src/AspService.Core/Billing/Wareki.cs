using System.Globalization;

namespace AspService.Billing;

/// <summary>
/// 和暦 (Japanese era dates) as municipal documents write them: 「令和8年12月3日」, the first year of an era as
/// 元年 (「令和元年5月1日」), and a fiscal year (April–March) as 「令和8年度」. Eras and their boundaries come from
/// .NET's <see cref="JapaneseCalendar"/> over ICU (the service runs with ICU, see decision 0099), so a future era
/// arrives with the platform's data rather than with a code change here.
/// </summary>
public static class Wareki
{
    private static readonly JapaneseCalendar Calendar = new();
    private static readonly DateTimeFormatInfo Names = JapaneseNames();

    /// <summary>The era name and the year within it of <paramref name="date"/> (令和, 8 for 2026-12-03).</summary>
    public static (string Era, int Year) EraYear(DateOnly date)
    {
        var time = date.ToDateTime(TimeOnly.MinValue);
        if (time < Calendar.MinSupportedDateTime)
        {
            throw new ArgumentOutOfRangeException(nameof(date), "和暦 starts on 1868-09-08 (明治)");
        }

        return (Names.GetEraName(Calendar.GetEra(time)), Calendar.GetYear(time));
    }

    /// <summary>「令和8年12月3日」; 「令和元年5月1日」 in an era's first year.</summary>
    public static string Format(DateOnly date)
    {
        var (era, year) = EraYear(date);
        return string.Create(CultureInfo.InvariantCulture, $"{era}{YearText(year)}年{date.Month}月{date.Day}日");
    }

    /// <summary>
    /// 年度 <paramref name="fiscalYear"/> (April of that year to March of the next) in 和暦: 「令和8年度」 for 2026.
    /// It takes the era in force at the end of the calendar year the 年度 starts in, as the government named
    /// 2019年度 「令和元年度」 (its April was still 平成31年) and 1988年度 「昭和63年度」.
    /// </summary>
    public static string FiscalYear(int fiscalYear)
    {
        var (era, year) = EraYear(new DateOnly(fiscalYear, 12, 31));
        return string.Create(CultureInfo.InvariantCulture, $"{era}{YearText(year)}年度");
    }

    private static string YearText(int year) => year == 1 ? "元" : year.ToString(CultureInfo.InvariantCulture);

    private static DateTimeFormatInfo JapaneseNames()
    {
        var names = (DateTimeFormatInfo)CultureInfo.GetCultureInfo("ja-JP").DateTimeFormat.Clone();
        names.Calendar = new JapaneseCalendar();
        return names;
    }
}
