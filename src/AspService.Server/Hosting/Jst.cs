namespace AspService.Server.Hosting;

/// <summary>Japan Standard Time, the zone people read every date in.</summary>
public static class Jst
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    public static DateTimeOffset ToJst(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone);
}
