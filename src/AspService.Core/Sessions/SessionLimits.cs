using AspService.Policy;

namespace AspService.Sessions;

/// <summary>Which limits a running session has reached.</summary>
[Flags]
public enum SessionLimitReasons
{
    None = 0,
    MaxLengthReached = 1,

    /// <summary>No bytes either way for the idle timeout.</summary>
    IdleTimeout = 2,
}

/// <summary>A running session against its limits.</summary>
/// <param name="Reached">The limits reached at the instant checked; none while the session may go on.</param>
/// <param name="MaxLengthAt">When the session reaches its maximum length.</param>
/// <param name="IdleAt">When the session times out if no byte moves before then.</param>
public readonly record struct SessionLimitStatus(SessionLimitReasons Reached, DateTimeOffset MaxLengthAt, DateTimeOffset IdleAt)
{
    public bool MustEnd => Reached != SessionLimitReasons.None;

    /// <summary>The earliest instant a limit can be reached: when the relay should look again.</summary>
    public DateTimeOffset NextCheckAt => MaxLengthAt < IdleAt ? MaxLengthAt : IdleAt;
}

/// <summary>Maximum session length and idle timeout for a running session. Both limits are reached at the exact instant.</summary>
public static class SessionLimits
{
    public static SessionLimitStatus Check(TeleworkPolicy policy, DateTimeOffset start, DateTimeOffset lastActivity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Check(policy.MaxSessionLength, policy.IdleTimeout, start, lastActivity, now);
    }

    /// <param name="maxLength">Longest a session may last, from <paramref name="start"/>.</param>
    /// <param name="idleTimeout">Longest a session may go with no bytes either way.</param>
    /// <param name="start">When the session was paired.</param>
    /// <param name="lastActivity">When the last byte moved either way; an instant before the start counts as the start.</param>
    /// <param name="now">The instant to check.</param>
    public static SessionLimitStatus Check(
        TimeSpan maxLength, TimeSpan idleTimeout, DateTimeOffset start, DateTimeOffset lastActivity, DateTimeOffset now)
    {
        var active = lastActivity > start ? lastActivity : start;
        var maxLengthAt = SafeAdd(start, maxLength);
        var idleAt = SafeAdd(active, idleTimeout);

        var reached = SessionLimitReasons.None;
        if (now >= maxLengthAt)
        {
            reached |= SessionLimitReasons.MaxLengthReached;
        }

        if (now >= idleAt)
        {
            reached |= SessionLimitReasons.IdleTimeout;
        }

        return new SessionLimitStatus(reached, maxLengthAt, idleAt);
    }

    // A zero or negative limit (which validation refuses) ends the session at once instead of throwing; a huge one
    // saturates instead of overflowing. Results are in UTC, where MaxValue is the only bound to respect.
    private static DateTimeOffset SafeAdd(DateTimeOffset instant, TimeSpan span)
    {
        var utc = instant.ToUniversalTime();
        if (span <= TimeSpan.Zero)
        {
            return utc;
        }

        return span >= DateTimeOffset.MaxValue - utc ? DateTimeOffset.MaxValue : utc + span;
    }
}
