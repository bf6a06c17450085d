namespace AspService.Policy;

/// <summary>One invalid field of a policy, named as in the admin API's JSON (camelCase, list entries indexed).</summary>
public sealed record PolicyFieldError(string Field, LocalizedText Message);

/// <summary>Checks a policy before it is stored; an empty list means it is valid.</summary>
public static class PolicyValidator
{
    public const int MaxSourceNetworks = 100;
    public const int MaxConcurrentSessions = 10;
    public const int MaxExtraClosedDays = 366;
    public static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    public static IReadOnlyList<PolicyFieldError> Validate(TeleworkPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new List<PolicyFieldError>();

        if (policy.Redirection is null)
        {
            errors.Add(new("redirection", PolicyText.Format("required")));
        }

        if (!Enum.IsDefined(policy.RedirectionCheck))
        {
            errors.Add(new("redirectionCheck", PolicyText.Format("redirection_check_invalid")));
        }

        ValidateWeekdays(policy.AllowedWeekdays, errors);
        ValidateWindow(policy.AllowedFrom, policy.AllowedUntil, errors);
        ValidateNetworks(policy.AllowedSourceNetworks, errors);
        ValidateDuration("maxSessionLength", policy.MaxSessionLength, errors);
        ValidateDuration("idleTimeout", policy.IdleTimeout, errors);

        if (policy.ExtraClosedDays is { Count: > MaxExtraClosedDays })
        {
            errors.Add(new("extraClosedDays", PolicyText.Format("too_many_closed_days", MaxExtraClosedDays)));
        }

        if (policy.MaxConcurrentSessionsPerUser is < 1 or > MaxConcurrentSessions)
        {
            errors.Add(new("maxConcurrentSessionsPerUser", PolicyText.Format("concurrency_range", 1, MaxConcurrentSessions)));
        }

        return errors;
    }

    private static void ValidateWeekdays(IReadOnlyList<DayOfWeek>? weekdays, List<PolicyFieldError> errors)
    {
        // An empty list would refuse every request; pausing telework is a different act than a policy that can never pass.
        if (weekdays is null || weekdays.Count == 0)
        {
            errors.Add(new("allowedWeekdays", PolicyText.Format("weekdays_empty")));
            return;
        }

        for (var i = 0; i < weekdays.Count; i++)
        {
            if (!Enum.IsDefined(weekdays[i]))
            {
                errors.Add(new($"allowedWeekdays[{i}]", PolicyText.Format("weekday_invalid")));
            }
        }
    }

    private static void ValidateWindow(TimeSpan from, TimeSpan until, List<PolicyFieldError> errors)
    {
        var day = TimeSpan.FromHours(24);
        var fromValid = from >= TimeSpan.Zero && from < day;
        var untilValid = until > TimeSpan.Zero && until <= day;
        if (!fromValid)
        {
            errors.Add(new("allowedFrom", PolicyText.Format("time_of_day", "00:00", "23:59")));
        }

        if (!untilValid)
        {
            errors.Add(new("allowedUntil", PolicyText.Format("time_of_day", "00:01", "24:00")));
        }

        if (fromValid && untilValid && from == until)
        {
            errors.Add(new("allowedUntil", PolicyText.Format("window_empty")));
        }
    }

    private static void ValidateNetworks(IReadOnlyList<string>? networks, List<PolicyFieldError> errors)
    {
        if (networks is null)
        {
            errors.Add(new("allowedSourceNetworks", PolicyText.Format("required")));
            return;
        }

        if (networks.Count > MaxSourceNetworks)
        {
            errors.Add(new("allowedSourceNetworks", PolicyText.Format("too_many_networks", MaxSourceNetworks)));
        }

        for (var i = 0; i < networks.Count; i++)
        {
            if (!SourceNetworks.TryParse(networks[i], out _, out var error))
            {
                errors.Add(new($"allowedSourceNetworks[{i}]", error));
            }
        }
    }

    private static void ValidateDuration(string field, TimeSpan value, List<PolicyFieldError> errors)
    {
        if (value < MinDuration || value > MaxDuration)
        {
            errors.Add(new(field, PolicyText.Format("duration_range", (int)MinDuration.TotalMinutes, (int)MaxDuration.TotalMinutes)));
        }
    }
}
