using AspService.Common;
namespace AspService.Policy;

/// <summary>Where an instant falls relative to a policy's daily JST window.</summary>
/// <param name="Inside">Whether the instant is inside the window.</param>
/// <param name="Day">
/// The calendar day whose window the instant belongs to: for 22:00–02:00, 01:00 on Saturday belongs to Friday's
/// window. Outside any window it is the JST date itself. Weekday and closed-day rules are applied to this day.
/// </param>
/// <param name="LocalTime">The instant in JST.</param>
public readonly record struct WindowPosition(bool Inside, DateOnly Day, DateTimeOffset LocalTime);

public static class TimeWindow
{
    /// <summary>
    /// Places <paramref name="now"/> in the daily window [<paramref name="from"/>, <paramref name="until"/>) in JST.
    /// <paramref name="until"/> &lt; <paramref name="from"/> crosses midnight; 00:00–24:00 is the whole day; an
    /// empty window (from = until) contains nothing.
    /// </summary>
    public static WindowPosition Locate(TimeSpan from, TimeSpan until, DateTimeOffset now)
    {
        var local = Jst.ToJst(now);
        var date = DateOnly.FromDateTime(local.DateTime);
        var time = local.TimeOfDay;

        if (from < until)
        {
            return new WindowPosition(time >= from && time < until, date, local);
        }

        if (from > until)
        {
            if (time >= from)
            {
                return new WindowPosition(true, date, local);
            }

            if (time < until)
            {
                return new WindowPosition(true, date.AddDays(-1), local); // the tail of yesterday's window
            }
        }

        return new WindowPosition(false, date, local);
    }
}
