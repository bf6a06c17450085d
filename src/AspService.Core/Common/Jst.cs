using System.Globalization;

namespace AspService.Common;

/// <summary>
/// Japan Standard Time, the one definition: every date people read, every JST day and month boundary. A fixed UTC+9
/// offset — Japan has had no daylight saving time since 1951 — so it is exact for every date the service handles and
/// needs no time-zone database; only the job scheduler, which stores a zone by name, gets the system's Asia/Tokyo.
/// </summary>
public static class Jst
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    /// <summary>Asia/Tokyo from the system's zone database, for Hangfire's cron schedules (it keeps zones by id).</summary>
    public static TimeZoneInfo SchedulerZone => TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    public static DateTimeOffset ToJst(DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>The JST calendar day an instant falls on.</summary>
    public static DateOnly Today(DateTimeOffset instant) => DateOnly.FromDateTime(ToJst(instant).DateTime);

    /// <summary>00:00 JST of <paramref name="day"/>.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>A moment as people in Japan read it: 2026-11-26 12:00.</summary>
    public static string Format(DateTimeOffset instant) => ToJst(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
