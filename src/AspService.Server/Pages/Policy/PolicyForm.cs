using System.Globalization;
using AspService.Server.Consoles;
using AspService.Server.Resources;
using AspService.Policy;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Policy;

/// <summary>The policy as the form carries it: lists as lines, durations in minutes, times as text.</summary>
public sealed class PolicyForm
{
    public static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public int Version { get; set; }

    public bool RequireMfa { get; set; }

    public bool RequireHomeCertificate { get; set; }

    public bool Clipboard { get; set; }

    public bool Drives { get; set; }

    public bool Printers { get; set; }

    public bool Ports { get; set; }

    public bool Lenient { get; set; }

    public List<DayOfWeek> Weekdays { get; set; } = [];

    public string? AllowedFrom { get; set; }

    public string? AllowedUntil { get; set; }

    public bool AllowOnClosedDays { get; set; }

    public string? ExtraClosedDays { get; set; }

    public string? Networks { get; set; }

    public string? MaxSessionMinutes { get; set; }

    public string? IdleMinutes { get; set; }

    public string? MaxConcurrent { get; set; }

    public bool AllowHomeSelfRegistration { get; set; }

    public bool HomeRegistrationRequiresApproval { get; set; }

    public static PolicyForm From(TeleworkPolicy p, int version)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new()
        {
            Version = version,
            RequireMfa = p.RequireMfa,
            RequireHomeCertificate = p.RequireHomeCertificate,
            Clipboard = p.Redirection.Clipboard,
            Drives = p.Redirection.Drives,
            Printers = p.Redirection.Printers,
            Ports = p.Redirection.Ports,
            Lenient = p.RedirectionCheck == RedirectionCheck.Lenient,
            Weekdays = [.. p.AllowedWeekdays],
            AllowedFrom = PolicyText.Clock(p.AllowedFrom),
            AllowedUntil = PolicyText.Clock(p.AllowedUntil),
            AllowOnClosedDays = p.AllowOnClosedDays,
            ExtraClosedDays = string.Join("\n", (p.ExtraClosedDays ?? []).Order().Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))),
            Networks = string.Join("\n", p.AllowedSourceNetworks),
            MaxSessionMinutes = ((int)p.MaxSessionLength.TotalMinutes).ToString(CultureInfo.InvariantCulture),
            IdleMinutes = ((int)p.IdleTimeout.TotalMinutes).ToString(CultureInfo.InvariantCulture),
            MaxConcurrent = p.MaxConcurrentSessionsPerUser.ToString(CultureInfo.InvariantCulture),
            AllowHomeSelfRegistration = p.AllowHomeSelfRegistration,
            HomeRegistrationRequiresApproval = p.HomeRegistrationRequiresApproval,
        };
    }

    /// <summary>The policy, or null with an error next to each field that cannot be read (the rules are checked by the use case).</summary>
    public TeleworkPolicy? ToPolicy(FormErrors errors, IStringLocalizer<ConsoleText> text)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(text);
        TimeSpan Clock(string field, string? value)
        {
            if (PolicyClockConverter.TryParse(Normalize.Narrow(value), out var t))
            {
                return t;
            }

            errors.Add(field, text["policy.error.time"]);
            return TimeSpan.Zero;
        }

        int Number(string field, string? value)
        {
            if (int.TryParse(Normalize.Narrow(value), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            errors.Add(field, text["policy.error.number"]);
            return 0;
        }

        var from = Clock("allowedFrom", AllowedFrom);
        var until = Clock("allowedUntil", AllowedUntil);
        var days = new List<DateOnly>();
        foreach (var line in Lines(ExtraClosedDays))
        {
            if (DateOnly.TryParseExact(line.Replace('/', '-'), ["yyyy-MM-dd", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                days.Add(day);
            }
            else
            {
                errors.Add("extraClosedDays", text["policy.error.date", line]);
            }
        }

        var maxSession = Number("maxSessionLength", MaxSessionMinutes);
        var idle = Number("idleTimeout", IdleMinutes);
        var concurrent = Number("maxConcurrentSessionsPerUser", MaxConcurrent);
        if (errors.Any)
        {
            return null;
        }

        return new TeleworkPolicy
        {
            RequireMfa = RequireMfa,
            RequireHomeCertificate = RequireHomeCertificate,
            Redirection = new RedirectionSettings(Clipboard, Drives, Printers, Ports),
            RedirectionCheck = Lenient ? RedirectionCheck.Lenient : RedirectionCheck.Strict,
            AllowedWeekdays = [.. Week.Where(Weekdays.Contains)],
            AllowedFrom = from,
            AllowedUntil = until,
            AllowOnClosedDays = AllowOnClosedDays,
            ExtraClosedDays = [.. days.Distinct().Order()],
            AllowedSourceNetworks = [.. Lines(Networks)],
            MaxSessionLength = TimeSpan.FromMinutes(maxSession),
            IdleTimeout = TimeSpan.FromMinutes(idle),
            MaxConcurrentSessionsPerUser = concurrent,
            AllowHomeSelfRegistration = AllowHomeSelfRegistration,
            HomeRegistrationRequiresApproval = HomeRegistrationRequiresApproval,
        };
    }

    private static IEnumerable<string> Lines(string? value) =>
        (value ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => Normalize.Narrow(l)!).Where(l => l.Length > 0);
}
