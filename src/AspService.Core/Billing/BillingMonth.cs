using AspService.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace AspService.Billing;

/// <summary>
/// A calendar month in Japan Standard Time, the unit of billing. JST is a fixed UTC+9 (Japan has no daylight
/// saving), so the boundaries are computed without a time-zone database.
/// </summary>
public readonly record struct BillingMonth : IComparable<BillingMonth>
{
    public BillingMonth(int year, int month)
    {
        if (year is < 2000 or > 9998 || month is < 1 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(month), "year 2000..9998, month 1..12");
        }

        Year = year;
        Month = month;
    }

    public int Year { get; }

    public int Month { get; }

    /// <summary>yyyyMM as an integer (202610), the compact key stored in the catalog.</summary>
    public int Key => (Year * 100) + Month;

    public DateOnly FirstDay => new(Year, Month, 1);

    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);

    public int Days => DateTime.DaysInMonth(Year, Month);

    /// <summary>00:00 JST on the first day.</summary>
    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, Jst.Offset);

    /// <summary>00:00 JST on the first day of the next month (exclusive end).</summary>
    public DateTimeOffset End => Next.Start;

    public BillingMonth Next => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);

    public BillingMonth Previous => Month == 1 ? new(Year - 1, 12) : new(Year, Month - 1);

    /// <summary>会計年度 (April–March) the month belongs to, named by the year it starts in.</summary>
    public int FiscalYear => Month >= 4 ? Year : Year - 1;

    /// <summary>True once the month is over in JST at <paramref name="now"/>.</summary>
    public bool HasEnded(DateTimeOffset now) => now >= End;

    public static BillingMonth Of(DateTimeOffset instant) => Of(DateOnly.FromDateTime(instant.ToOffset(Jst.Offset).DateTime));

    public static BillingMonth Of(DateOnly jstDate) => new(jstDate.Year, jstDate.Month);

    public static BillingMonth FromKey(int key) => new(key / 100, key % 100);

    /// <summary>The twelve months of fiscal year <paramref name="fiscalYear"/>: April of that year to March of the next.</summary>
    public static IReadOnlyList<BillingMonth> FiscalYearMonths(int fiscalYear) =>
        [.. Enumerable.Range(0, 12).Select(i => new BillingMonth(fiscalYear + ((i + 3) / 12), ((i + 3) % 12) + 1))];

    /// <summary>Parses <c>yyyy-MM</c> exactly.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out BillingMonth? month)
    {
        month = null;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || y is < 2000 or > 9998 || m is < 1 or > 12)
        {
            return false;
        }

        month = new BillingMonth(y, m);
        return true;
    }

    public int CompareTo(BillingMonth other) => Key.CompareTo(other.Key);

    public static bool operator <(BillingMonth left, BillingMonth right) => left.CompareTo(right) < 0;

    public static bool operator >(BillingMonth left, BillingMonth right) => left.CompareTo(right) > 0;

    public static bool operator <=(BillingMonth left, BillingMonth right) => left.CompareTo(right) <= 0;

    public static bool operator >=(BillingMonth left, BillingMonth right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-{Month:00}");
}

/// <summary>One piece of an interval that lies within a single JST calendar day.</summary>
public sealed record JstDaySlice(DateOnly Day, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Whole seconds (sub-second remainders are dropped; usage is metered in seconds).</summary>
    public long Seconds => (To - From).Ticks / TimeSpan.TicksPerSecond;

    public BillingMonth Month => BillingMonth.Of(Day);
}

/// <summary>Splitting intervals at JST midnight (and so at JST month ends, which are midnights too).</summary>
public static class JstDays
{
    /// <summary>
    /// Splits [from, to) at every JST midnight. An empty or inverted interval gives no slices. Slices are
    /// expressed in JST; their lengths add up to the whole interval.
    /// </summary>
    public static IReadOnlyList<JstDaySlice> Split(DateTimeOffset from, DateTimeOffset to)
    {
        var slices = new List<JstDaySlice>();
        var cursor = from.ToOffset(Jst.Offset);
        var end = to.ToOffset(Jst.Offset);
        while (cursor < end)
        {
            var day = Jst.Today(cursor);
            var midnight = Jst.StartOf(day.AddDays(1));
            var sliceEnd = midnight < end ? midnight : end;
            slices.Add(new JstDaySlice(day, cursor, sliceEnd));
            cursor = sliceEnd;
        }

        return slices;
    }
}
