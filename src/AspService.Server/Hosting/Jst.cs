namespace AspService.Server.Hosting;

/// <summary>Japan Standard Time, the zone people read every date in.</summary>
public static class Jst
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    public static DateTimeOffset ToJst(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone);

    /// <summary>A moment as people in Japan read it: 2026-11-26 12:00.</summary>
    public static string Format(DateTimeOffset utc) => ToJst(utc).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
