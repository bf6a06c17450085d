using AspService.Common;
namespace AspService.Billing;

/// <summary>A relayed session as metering sees it: who, and when (a live session has no end yet).</summary>
public sealed record MeteredSession(Guid UserId, DateTimeOffset Start, DateTimeOffset? End);

/// <summary>An office terminal's time in the registry (deleted terminals keep their row).</summary>
public sealed record MeteredTerminal(DateTimeOffset Registered, DateTimeOffset? Deleted);

/// <summary>One JST day of usage.</summary>
public sealed record MeteredDay(DateOnly Day, int OfficeTerminals, int ActiveUsers, int Sessions, long SessionSeconds);

/// <summary>A month's usage: its days (up to today for the running month) and its distinct active users.</summary>
public sealed record MeteredMonth(BillingMonth Month, IReadOnlyList<MeteredDay> Days, int ActiveUsers);

/// <summary>
/// Usage from sessions and the terminal registry, per JST day (decision 0020). Pure: the same rows and instant
/// always give the same figures, so roll-ups can be recomputed at any time.
/// </summary>
public static class UsageMeter
{
    public static MeteredMonth Measure(BillingMonth month, IReadOnlyCollection<MeteredSession> sessions, IReadOnlyCollection<MeteredTerminal> terminals, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(terminals);
        var days = new List<MeteredDay>();
        var monthUsers = new HashSet<Guid>();
        var today = Jst.Today(now);
        for (var day = month.FirstDay; day <= month.LastDay && day <= today; day = day.AddDays(1))
        {
            var from = Jst.StartOf(day);
            var to = Jst.StartOf(day.AddDays(1));
            // A terminal registered at any moment of the day counts for the day (removing it on the 30th does not avoid the charge).
            var office = terminals.Count(t => t.Registered < to && (t.Deleted is null || t.Deleted >= from));
            var users = new HashSet<Guid>();
            var started = 0;
            long seconds = 0;
            foreach (var session in sessions)
            {
                var end = session.End ?? now;
                // Sessions crossing midnight or a month end are split at the JST boundary.
                var slice = JstDays.Split(session.Start, end).FirstOrDefault(s => s.Day == day);
                if (slice is null)
                {
                    continue;
                }

                seconds += slice.Seconds;
                users.Add(session.UserId);
                started += Jst.Today(session.Start) == day ? 1 : 0;
            }

            monthUsers.UnionWith(users);
            days.Add(new MeteredDay(day, office, users.Count, started, seconds));
        }

        return new MeteredMonth(month, days, monthUsers.Count);
    }
}
