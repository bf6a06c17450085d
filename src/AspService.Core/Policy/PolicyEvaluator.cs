using System.Net;

namespace AspService.Policy;

/// <summary>Everything the policy needs to know about one session request (at the broker or at pairing).</summary>
/// <param name="SourceAddress">The home side's public address as the server saw it (IPv4, IPv6 or IPv4-mapped IPv6).</param>
/// <param name="LiveSessionCount">The user's live sessions, not counting the one being requested.</param>
/// <param name="MfaUsed">Whether the user's sign-in used a second factor.</param>
/// <param name="HomeCertificatePresented">Whether a valid home-terminal certificate was presented.</param>
/// <param name="OfficeRedirection">The office PC's reported redirection settings.</param>
public sealed record TeleworkRequest(
    IPAddress SourceAddress,
    int LiveSessionCount,
    bool MfaUsed,
    bool HomeCertificatePresented,
    ReportedRedirection OfficeRedirection);

/// <summary>Why a request is refused. Stable names: they go to the audit log.</summary>
public enum PolicyDenialCode
{
    MfaRequired,
    HomeCertificateRequired,
    WeekdayNotAllowed,
    OutsideAllowedHours,
    OfficeClosed,
    SourceNetworkNotAllowed,
    TooManySessions,

    /// <summary>The office PC reports a channel enabled that the policy forbids.</summary>
    RedirectionEnabled,

    /// <summary>Strict mode: the office PC's setting for a channel the policy forbids is unknown.</summary>
    RedirectionUnknown,
}

/// <summary>One failed rule, with the channel for redirection rules and text for people.</summary>
public sealed record PolicyDenial(PolicyDenialCode Code, LocalizedText Text, RedirectionChannel? Channel = null);

public enum PolicyOutcome
{
    Allow,
    Deny,
}

/// <summary>The decision and every reason against it; <see cref="Window"/> records which JST day's window applied.</summary>
public sealed record PolicyDecision(PolicyOutcome Outcome, IReadOnlyList<PolicyDenial> Reasons, WindowPosition Window)
{
    public bool IsAllowed => Outcome == PolicyOutcome.Allow;

    public IReadOnlyList<PolicyDenialCode> Codes => [.. Reasons.Select(r => r.Code)];
}

/// <summary>
/// Evaluates a telework policy for one request. Pure: the same policy, request and instant always give the same
/// decision. Every rule is checked, so a denial lists every reason, not just the first.
/// </summary>
public static class PolicyEvaluator
{
    private static readonly RedirectionChannel[] Channels = Enum.GetValues<RedirectionChannel>();

    public static PolicyDecision Evaluate(TeleworkPolicy policy, TeleworkRequest request, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Evaluate(policy, request, clock.GetUtcNow());
    }

    /// <exception cref="ArgumentOutOfRangeException">The JST date is after <see cref="JapaneseHolidays.LastYear"/>.</exception>
    public static PolicyDecision Evaluate(TeleworkPolicy policy, TeleworkRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.SourceAddress);
        ArgumentNullException.ThrowIfNull(request.OfficeRedirection);
        var reasons = new List<PolicyDenial>();

        if (policy.RequireMfa && !request.MfaUsed)
        {
            reasons.Add(new(PolicyDenialCode.MfaRequired, PolicyText.Format("mfa_required")));
        }

        if (policy.RequireHomeCertificate && !request.HomeCertificatePresented)
        {
            reasons.Add(new(PolicyDenialCode.HomeCertificateRequired, PolicyText.Format("home_certificate_required")));
        }

        var window = TimeWindow.Locate(policy.AllowedFrom, policy.AllowedUntil, now);
        if (!policy.AllowedWeekdays.Contains(window.Day.DayOfWeek))
        {
            reasons.Add(new(
                PolicyDenialCode.WeekdayNotAllowed,
                PolicyText.Format("weekday_not_allowed", PolicyText.Date(window.Day), PolicyText.Weekday(window.Day.DayOfWeek))));
        }

        if (!window.Inside)
        {
            reasons.Add(new(
                PolicyDenialCode.OutsideAllowedHours,
                PolicyText.Format(
                    "outside_hours",
                    PolicyText.Clock(window.LocalTime.TimeOfDay),
                    PolicyText.Clock(policy.AllowedFrom),
                    PolicyText.Clock(policy.AllowedUntil))));
        }

        var office = OfficeCalendar.Check(window.Day);
        if (!policy.AllowOnClosedDays && office.IsClosedOnWeekday)
        {
            reasons.Add(new(
                PolicyDenialCode.OfficeClosed,
                PolicyText.Format("office_closed", PolicyText.Date(window.Day), office.Describe())));
        }
        else if (!policy.AllowOnClosedDays && (policy.ExtraClosedDays?.Contains(window.Day) ?? false))
        {
            reasons.Add(new(
                PolicyDenialCode.OfficeClosed,
                PolicyText.Format("office_closed", PolicyText.Date(window.Day), PolicyText.Format("extra_closed_day"))));
        }

        if (policy.AllowedSourceNetworks.Count > 0
            && !SourceNetworks.Contains(policy.AllowedSourceNetworks, request.SourceAddress))
        {
            reasons.Add(new(
                PolicyDenialCode.SourceNetworkNotAllowed,
                PolicyText.Format("source_network", request.SourceAddress.ToString())));
        }

        if (request.LiveSessionCount >= policy.MaxConcurrentSessionsPerUser)
        {
            reasons.Add(new(
                PolicyDenialCode.TooManySessions,
                PolicyText.Format("too_many_sessions", policy.MaxConcurrentSessionsPerUser)));
        }

        foreach (var channel in Channels)
        {
            // Only channels the policy forbids are checked: an office PC stricter than the policy leaks nothing.
            if (policy.Redirection.Allows(channel))
            {
                continue;
            }

            switch (request.OfficeRedirection.Reported(channel))
            {
                case true:
                    reasons.Add(new(PolicyDenialCode.RedirectionEnabled, PolicyText.Format("redirection_enabled", PolicyText.Channel(channel)), channel));
                    break;
                case null when policy.RedirectionCheck != RedirectionCheck.Lenient:
                    reasons.Add(new(PolicyDenialCode.RedirectionUnknown, PolicyText.Format("redirection_unknown", PolicyText.Channel(channel)), channel));
                    break;
            }
        }

        return new PolicyDecision(reasons.Count == 0 ? PolicyOutcome.Allow : PolicyOutcome.Deny, reasons, window);
    }
}
