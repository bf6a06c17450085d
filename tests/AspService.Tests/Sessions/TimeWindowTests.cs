using System.Globalization;
using AspService.Policy;

namespace AspService.Tests.Sessions;

public sealed class TimeWindowTests
{
    [Theory]
    // 08:00–20:00: start inclusive, end exclusive, always the JST date.
    [InlineData("08:00", "20:00", "2025-01-06T08:00:00+09:00", true, "2025-01-06")]
    [InlineData("08:00", "20:00", "2025-01-06T07:59:59+09:00", false, "2025-01-06")]
    [InlineData("08:00", "20:00", "2025-01-06T20:00:00+09:00", false, "2025-01-06")]
    [InlineData("08:00", "20:00", "2025-01-05T23:00:00Z", true, "2025-01-06")] // 08:00 JST the next UTC day
    [InlineData("08:00", "20:00", "2025-01-06T14:59:59Z", false, "2025-01-06")] // 23:59:59 JST
    [InlineData("08:00", "20:00", "2025-01-06T15:00:00Z", false, "2025-01-07")] // JST midnight
    // 22:00–02:00 crosses midnight and belongs to the day it starts on.
    [InlineData("22:00", "02:00", "2025-01-10T22:00:00+09:00", true, "2025-01-10")]
    [InlineData("22:00", "02:00", "2025-01-10T23:59:59+09:00", true, "2025-01-10")]
    [InlineData("22:00", "02:00", "2025-01-11T00:00:00+09:00", true, "2025-01-10")]
    [InlineData("22:00", "02:00", "2025-01-11T01:59:59+09:00", true, "2025-01-10")]
    [InlineData("22:00", "02:00", "2025-01-11T02:00:00+09:00", false, "2025-01-11")]
    [InlineData("22:00", "02:00", "2025-01-11T21:59:59+09:00", false, "2025-01-11")]
    [InlineData("22:00", "02:00", "2025-01-01T01:00:00+09:00", true, "2024-12-31")] // across the year end
    [InlineData("22:00", "02:00", "2025-03-01T01:00:00+09:00", true, "2025-02-28")] // across a month end
    [InlineData("22:00", "02:00", "2024-03-01T01:00:00+09:00", true, "2024-02-29")] // leap day
    [InlineData("22:00", "02:00", "2025-01-10T16:30:00Z", true, "2025-01-10")] // 01:30 JST Saturday, given in UTC
    // The whole day and an empty window.
    [InlineData("00:00", "24:00", "2025-01-06T00:00:00+09:00", true, "2025-01-06")]
    [InlineData("00:00", "24:00", "2025-01-06T23:59:59.999+09:00", true, "2025-01-06")]
    [InlineData("09:00", "09:00", "2025-01-06T09:00:00+09:00", false, "2025-01-06")]
    public void Locate_Instant_InsideAndDay(string from, string until, string now, bool inside, string day)
    {
        var position = TimeWindow.Locate(Span(from), Span(until), DateTimeOffset.Parse(now, CultureInfo.InvariantCulture));

        Assert.Equal(inside, position.Inside);
        Assert.Equal(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture), position.Day);
        Assert.Equal(TimeSpan.FromHours(9), position.LocalTime.Offset);
    }

    internal static TimeSpan Span(string hhmm) =>
        hhmm == "24:00" ? TimeSpan.FromHours(24) : TimeSpan.ParseExact(hhmm, @"hh\:mm", CultureInfo.InvariantCulture);
}
