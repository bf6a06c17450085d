namespace AspService.Policy;

/// <summary>Why a government office is closed on a day; several can hold at once (1/1 on a Sunday has three).</summary>
[Flags]
public enum OfficeClosedReasons
{
    None = 0,
    Saturday = 1,
    Sunday = 2,

    /// <summary>A holiday under the holiday law: 国民の祝日, special-law days, 振替休日 and 国民の休日.</summary>
    Holiday = 4,

    /// <summary>年末年始: 12/29 to 1/3.</summary>
    YearEnd = 8,
}

/// <summary>One day's status under the office-holiday rules, with the holiday when there is one.</summary>
public readonly record struct OfficeDay(DateOnly Date, OfficeClosedReasons Reasons, Holiday? Holiday)
{
    public bool IsClosed => Reasons != OfficeClosedReasons.None;

    /// <summary>Closed for a reason other than the weekend: a holiday or 年末年始.</summary>
    public bool IsClosedOnWeekday => (Reasons & (OfficeClosedReasons.Holiday | OfficeClosedReasons.YearEnd)) != 0;

    /// <summary>Why the office is closed, for people: e.g. 「元日・年末年始・日曜日」.</summary>
    public LocalizedText Describe()
    {
        var ja = new List<string>();
        var en = new List<string>();
        if (Holiday is { } holiday)
        {
            ja.Add(holiday.Name);
            en.Add(holiday.EnglishName);
        }

        if (Reasons.HasFlag(OfficeClosedReasons.YearEnd))
        {
            ja.Add("年末年始");
            en.Add("year-end and New Year closure");
        }

        if (Reasons.HasFlag(OfficeClosedReasons.Saturday))
        {
            ja.Add("土曜日");
            en.Add("Saturday");
        }

        if (Reasons.HasFlag(OfficeClosedReasons.Sunday))
        {
            ja.Add("日曜日");
            en.Add("Sunday");
        }

        return new LocalizedText(string.Join("・", ja), string.Join(", ", en));
    }
}

/// <summary>
/// 行政機関の休日 as 行政機関の休日に関する法律 (昭和63年法律第91号) Article 1 defines them: Saturdays, Sundays,
/// the holidays of the holiday law, and 12/29 to 1/3. Municipalities set theirs by ordinance under
/// 地方自治法 Article 4-2 with the same days.
/// </summary>
public static class OfficeCalendar
{
    public static bool IsOfficeClosed(DateOnly date) => Check(date).IsClosed;

    /// <summary>Whether the office is closed on <paramref name="date"/>, and every reason why.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is after <see cref="JapaneseHolidays.LastYear"/>.</exception>
    public static OfficeDay Check(DateOnly date)
    {
        var reasons = date.DayOfWeek switch
        {
            DayOfWeek.Saturday => OfficeClosedReasons.Saturday,
            DayOfWeek.Sunday => OfficeClosedReasons.Sunday,
            _ => OfficeClosedReasons.None,
        };

        if (IsYearEnd(date))
        {
            reasons |= OfficeClosedReasons.YearEnd;
        }

        var holiday = JapaneseHolidays.Find(date);
        if (holiday is not null)
        {
            reasons |= OfficeClosedReasons.Holiday;
        }

        return new OfficeDay(date, reasons, holiday);
    }

    /// <summary>12/29 to 1/3 (年末年始).</summary>
    public static bool IsYearEnd(DateOnly date) =>
        (date.Month == 12 && date.Day >= 29) || (date.Month == 1 && date.Day <= 3);
}
