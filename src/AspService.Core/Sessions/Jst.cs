namespace AspService.Sessions;

/// <summary>
/// Japan Standard Time as a fixed UTC+9 offset. Japan has had no daylight saving time since 1951, so a fixed
/// offset is exact for every date the service handles and does not depend on the host's time-zone database.
/// </summary>
public static class Jst
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static DateTimeOffset ToJst(DateTimeOffset instant) => instant.ToOffset(Offset);

    public static DateOnly Today(DateTimeOffset instant) => DateOnly.FromDateTime(ToJst(instant).DateTime);
}

/// <summary>A user-facing message in Japanese (first) and English.</summary>
public readonly record struct LocalizedText(string Ja, string En)
{
    public string For(bool english) => english ? En : Ja;
}
