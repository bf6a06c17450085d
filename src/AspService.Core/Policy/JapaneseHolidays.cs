using System.Collections.Frozen;

namespace AspService.Policy;

/// <summary>What makes a day a holiday under 国民の祝日に関する法律 and the special laws beside it.</summary>
public enum HolidayKind
{
    /// <summary>国民の祝日 named in Article 2 of the holiday law.</summary>
    NationalHoliday,

    /// <summary>A one-off day made a holiday by its own law (royal events); treated as a 国民の祝日 by the rules below.</summary>
    SpecialHoliday,

    /// <summary>振替休日 (Article 3 §2): the day after a 国民の祝日 that falls on a Sunday.</summary>
    SubstituteHoliday,

    /// <summary>国民の休日 (Article 3 §3): a day sandwiched between two 国民の祝日.</summary>
    CitizensHoliday,
}

/// <summary>One holiday: its date, its Japanese name (as the law or the Cabinet Office writes it) and an English name.</summary>
public sealed record Holiday(DateOnly Date, string Name, string EnglishName, HolidayKind Kind);

/// <summary>
/// Japanese national holidays computed from the rules of 国民の祝日に関する法律 (昭和23年法律第178号) as amended,
/// plus the special laws for royal events and the Tokyo 2020 Games. Supports <see cref="FirstYear"/> to
/// <see cref="LastYear"/>; see docs/holidays.md for every rule and where it comes from.
/// </summary>
public static class JapaneseHolidays
{
    /// <summary>The holiday law took effect on 1948-07-20; there are no holidays under it before that day.</summary>
    public static readonly DateOnly LawInForce = new(1948, 7, 20);

    public const int FirstYear = 1948;

    /// <summary>Last year the equinox approximation covers (its published coefficients run to 2150).</summary>
    public const int LastYear = 2150;

    // 振替休日 began with the 1973 amendment (in force 1973-04-12); the 2007 amendment turned "the next day"
    // into "the nearest following day that is not a 国民の祝日", so Golden Week chains roll forward.
    private static readonly DateOnly SubstituteRuleStart = new(1973, 4, 12);
    private static readonly DateOnly ModernRulesStart = new(2007, 1, 1);

    // 国民の休日 began with the 1985 amendment (in force 1985-12-27).
    private static readonly DateOnly CitizensRuleStart = new(1985, 12, 27);

    private static readonly Lazy<Calendar> All = new(Build);

    /// <summary>Every holiday of <paramref name="year"/> in date order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is outside <see cref="FirstYear"/>–<see cref="LastYear"/>.</exception>
    public static IReadOnlyList<Holiday> InYear(int year)
    {
        EnsureSupported(year);
        return All.Value.ByYear[year - FirstYear];
    }

    /// <summary>The holiday on <paramref name="date"/>, or null for an ordinary day.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is after <see cref="LastYear"/>.</exception>
    public static Holiday? Find(DateOnly date)
    {
        if (date < LawInForce)
        {
            return null;
        }

        EnsureSupported(date.Year);
        return All.Value.ByDate.GetValueOrDefault(date);
    }

    public static bool IsHoliday(DateOnly date) => Find(date) is not null;

    public static bool IsSupported(int year) => year is >= FirstYear and <= LastYear;

    /// <summary>
    /// 春分日 by the standard approximation of the March equinox in JST. Legally the day is the one 国立天文台
    /// announces each February for the next year (暦要項); the formula agrees with the announced days in the
    /// Cabinet Office list and is a prediction for years not yet announced. Its coefficients cover 1900–2150.
    /// </summary>
    public static DateOnly VernalEquinox(int year) => EquinoxDay(year, 3, 20.8357m, 20.8431m, 21.8510m);

    /// <summary>秋分日 by the same approximation as <see cref="VernalEquinox"/>.</summary>
    public static DateOnly AutumnalEquinox(int year) => EquinoxDay(year, 9, 23.2588m, 23.2488m, 24.2488m);

    // day = int(c + 0.242194 (Y − 1980) − int((Y − b) / 4)) with c per period and b = 1983 before 1980, else 1980.
    // decimal keeps the fraction exact; C#'s integer division truncates toward zero as the formula's int() does for
    // the negative quotients before 1983. From 2100 the constant grows by a day because 2100 is not a leap year.
    private static DateOnly EquinoxDay(int year, int month, decimal until1979, decimal until2099, decimal from2100)
    {
        EnsureSupported(year);
        var (constant, leapBase) = year switch
        {
            <= 1979 => (until1979, 1983),
            <= 2099 => (until2099, 1980),
            _ => (from2100, 1980),
        };
        var day = (int)(constant + 0.242194m * (year - 1980) - ((year - leapBase) / 4));
        return new DateOnly(year, month, day);
    }

    private static void EnsureSupported(int year)
    {
        if (!IsSupported(year))
        {
            throw new ArgumentOutOfRangeException(
                nameof(year), year, $"Japanese holidays are computed for {FirstYear}–{LastYear} only.");
        }
    }

    private sealed record Calendar(Holiday[][] ByYear, FrozenDictionary<DateOnly, Holiday> ByDate);

    private static Calendar Build()
    {
        var byYear = new Holiday[LastYear - FirstYear + 1][];
        var byDate = new Dictionary<DateOnly, Holiday>();
        for (var year = FirstYear; year <= LastYear; year++)
        {
            var holidays = ComputeYear(year);
            byYear[year - FirstYear] = holidays;
            foreach (var holiday in holidays)
            {
                byDate.Add(holiday.Date, holiday);
            }
        }

        return new Calendar(byYear, byDate.ToFrozenDictionary());
    }

    private static Holiday[] ComputeYear(int year)
    {
        // Article 2 days and the special-law days. No rule ever crosses a year boundary (no holiday sits on 12/31),
        // so each year is computed on its own.
        var statutory = StatutoryDays(year)
            .Where(h => h.Date >= LawInForce)
            .ToDictionary(h => h.Date);

        var result = new List<Holiday>(statutory.Values);
        var substitutes = new HashSet<DateOnly>();

        foreach (var holiday in statutory.Values.Where(h => h.Date.DayOfWeek == DayOfWeek.Sunday && h.Date >= SubstituteRuleStart))
        {
            var next = holiday.Date.AddDays(1);
            if (holiday.Date >= ModernRulesStart)
            {
                while (statutory.ContainsKey(next))
                {
                    next = next.AddDays(1);
                }
            }
            else if (statutory.ContainsKey(next))
            {
                continue; // 1973–2006: only "the next day", which is already a holiday in its own right.
            }

            substitutes.Add(next);
            result.Add(new Holiday(next, "振替休日", "Substitute Holiday", HolidayKind.SubstituteHoliday));
        }

        var first = new DateOnly(year, 1, 2);
        var last = new DateOnly(year, 12, 30);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (day < CitizensRuleStart
                || statutory.ContainsKey(day)
                || substitutes.Contains(day)
                || !statutory.ContainsKey(day.AddDays(-1))
                || !statutory.ContainsKey(day.AddDays(1)))
            {
                continue;
            }

            // Until 2006 the law excluded Sundays from 国民の休日; since 2007 only 国民の祝日 themselves are excluded.
            if (day < ModernRulesStart && day.DayOfWeek == DayOfWeek.Sunday)
            {
                continue;
            }

            result.Add(new Holiday(day, "国民の休日", "Citizens' Holiday", HolidayKind.CitizensHoliday));
        }

        return [.. result.OrderBy(h => h.Date)];
    }

    private static IEnumerable<Holiday> StatutoryDays(int year)
    {
        if (year >= 1949)
        {
            yield return National(year, 1, 1, "元日", "New Year's Day");
            yield return year <= 1999
                ? National(year, 1, 15, "成人の日", "Coming of Age Day")
                : National(NthMonday(year, 1, 2), "成人の日", "Coming of Age Day");
        }

        if (year >= 1967)
        {
            yield return National(year, 2, 11, "建国記念の日", "National Foundation Day");
        }

        if (year >= 2020)
        {
            yield return National(year, 2, 23, "天皇誕生日", "Emperor's Birthday");
        }

        if (year >= 1949)
        {
            yield return National(VernalEquinox(year), "春分の日", "Vernal Equinox Day");
            if (year <= 1988)
            {
                yield return National(year, 4, 29, "天皇誕生日", "Emperor's Birthday");
            }
            else if (year <= 2006)
            {
                yield return National(year, 4, 29, "みどりの日", "Greenery Day");
            }
            else
            {
                yield return National(year, 4, 29, "昭和の日", "Showa Day");
                yield return National(year, 5, 4, "みどりの日", "Greenery Day");
            }

            yield return National(year, 5, 3, "憲法記念日", "Constitution Memorial Day");
            yield return National(year, 5, 5, "こどもの日", "Children's Day");
        }

        var marineDay = year switch
        {
            < 1996 => (DateOnly?)null,
            <= 2002 => new DateOnly(year, 7, 20),
            2020 => new DateOnly(2020, 7, 23), // Tokyo 2020 special measures law (2018 amendment)
            2021 => new DateOnly(2021, 7, 22), // moved again with the Games' postponement (2020 amendment)
            _ => NthMonday(year, 7, 3),
        };
        if (marineDay is { } marine)
        {
            yield return National(marine, "海の日", "Marine Day");
        }

        var mountainDay = year switch
        {
            < 2016 => (DateOnly?)null,
            2020 => new DateOnly(2020, 8, 10),
            2021 => new DateOnly(2021, 8, 8),
            _ => new DateOnly(year, 8, 11),
        };
        if (mountainDay is { } mountain)
        {
            yield return National(mountain, "山の日", "Mountain Day");
        }

        if (year >= 1966)
        {
            yield return year <= 2002
                ? National(year, 9, 15, "敬老の日", "Respect for the Aged Day")
                : National(NthMonday(year, 9, 3), "敬老の日", "Respect for the Aged Day");
        }

        yield return National(AutumnalEquinox(year), "秋分の日", "Autumnal Equinox Day");

        if (year >= 1966)
        {
            yield return year switch
            {
                <= 1999 => National(year, 10, 10, "体育の日", "Health and Sports Day"),
                <= 2019 => National(NthMonday(year, 10, 2), "体育の日", "Health and Sports Day"),
                2020 => National(2020, 7, 24, "スポーツの日", "Sports Day"),
                2021 => National(2021, 7, 23, "スポーツの日", "Sports Day"),
                _ => National(NthMonday(year, 10, 2), "スポーツの日", "Sports Day"),
            };
        }

        yield return National(year, 11, 3, "文化の日", "Culture Day");
        yield return National(year, 11, 23, "勤労感謝の日", "Labour Thanksgiving Day");

        if (year is >= 1989 and <= 2018)
        {
            yield return National(year, 12, 23, "天皇誕生日", "Emperor's Birthday");
        }

        foreach (var special in SpecialDays.Where(s => s.Date.Year == year))
        {
            yield return special;
        }
    }

    // Each made a holiday by its own law; the 2019 law says its days count as 国民の祝日 for Article 3 §2 and §3,
    // which is how 2019-04-30 and 2019-05-02 became 国民の休日. The older ones never touched a Sunday or a
    // neighbouring holiday, so treating them alike changes nothing for them.
    private static readonly Holiday[] SpecialDays =
    [
        Special(1959, 4, 10, "皇太子明仁親王の結婚の儀", "Wedding of Crown Prince Akihito"),
        Special(1989, 2, 24, "昭和天皇の大喪の礼", "State Funeral of Emperor Showa"),
        Special(1990, 11, 12, "即位礼正殿の儀", "Enthronement Ceremony"),
        Special(1993, 6, 9, "皇太子徳仁親王の結婚の儀", "Wedding of Crown Prince Naruhito"),
        Special(2019, 5, 1, "天皇の即位の日", "Emperor's Accession Day"),
        Special(2019, 10, 22, "即位礼正殿の儀", "Enthronement Ceremony"),
    ];

    private static Holiday National(int year, int month, int day, string name, string english) =>
        new(new DateOnly(year, month, day), name, english, HolidayKind.NationalHoliday);

    private static Holiday National(DateOnly date, string name, string english) =>
        new(date, name, english, HolidayKind.NationalHoliday);

    private static Holiday Special(int year, int month, int day, string name, string english) =>
        new(new DateOnly(year, month, day), name, english, HolidayKind.SpecialHoliday);

    /// <summary>The <paramref name="n"/>-th Monday of a month (ハッピーマンデー制度).</summary>
    private static DateOnly NthMonday(int year, int month, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + 7 * (n - 1));
    }
}
