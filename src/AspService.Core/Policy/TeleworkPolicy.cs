namespace AspService.Policy;

/// <summary>The RDP redirection channels the policy governs.</summary>
public enum RedirectionChannel
{
    Clipboard,
    Drives,
    Printers,
    Ports,
}

/// <summary>How the office PC's reported redirection settings are checked against the policy.</summary>
public enum RedirectionCheck
{
    /// <summary>Every channel the policy forbids must be reported as off; an unknown report is refused.</summary>
    Strict,

    /// <summary>A channel the policy forbids must not be reported as on; an unknown report is accepted.</summary>
    Lenient,
}

/// <summary>Which redirection channels the policy allows (true = allowed). Written into the home side's .rdp file.</summary>
public sealed record RedirectionSettings(bool Clipboard, bool Drives, bool Printers, bool Ports)
{
    public static RedirectionSettings AllOff { get; } = new(false, false, false, false);

    public bool Allows(RedirectionChannel channel) => channel switch
    {
        RedirectionChannel.Clipboard => Clipboard,
        RedirectionChannel.Drives => Drives,
        RedirectionChannel.Printers => Printers,
        RedirectionChannel.Ports => Ports,
        _ => false,
    };
}

/// <summary>
/// What the office PC's agent reports of its own RDP server's redirection settings: true = enabled, false = disabled,
/// null = unknown (the agent could not read them, e.g. not on Windows).
/// </summary>
public sealed record ReportedRedirection(bool? Clipboard, bool? Drives, bool? Printers, bool? Ports)
{
    public static ReportedRedirection Unknown { get; } = new(null, null, null, null);

    public static ReportedRedirection AllOff { get; } = new(false, false, false, false);

    public bool? Reported(RedirectionChannel channel) => channel switch
    {
        RedirectionChannel.Clipboard => Clipboard,
        RedirectionChannel.Drives => Drives,
        RedirectionChannel.Printers => Printers,
        RedirectionChannel.Ports => Ports,
        _ => null,
    };
}

/// <summary>
/// A tenant's telework policy. A new instance carries the LGWAN-safe defaults (see
/// docs/decisions/0030-telework-policy-rules.md): MFA and a home certificate required, every redirection off and
/// checked strictly, Monday to Friday 08:00–20:00 JST, closed days excluded, any source network, sessions of at
/// most 8 h with a 30-minute idle timeout, one session per user; home devices registered by admins only (and
/// approved by an admin when self-registration is switched on).
/// </summary>
public sealed record TeleworkPolicy
{
    /// <summary>The LGWAN-safe defaults every new tenant starts with.</summary>
    public static TeleworkPolicy LgwanDefault { get; } = new();

    public bool RequireMfa { get; init; } = true;

    public bool RequireHomeCertificate { get; init; } = true;

    public RedirectionSettings Redirection { get; init; } = RedirectionSettings.AllOff;

    public RedirectionCheck RedirectionCheck { get; init; } = RedirectionCheck.Strict;

    public IReadOnlyList<DayOfWeek> AllowedWeekdays { get; init; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>Start of the daily window in JST, inclusive (00:00 ≤ value &lt; 24:00).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(PolicyClockConverter))]
    public TimeSpan AllowedFrom { get; init; } = TimeSpan.FromHours(8);

    /// <summary>
    /// End of the daily window in JST, exclusive (00:00 &lt; value ≤ 24:00). An end before the start makes the window
    /// cross midnight; it then belongs to the day it starts on.
    /// </summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(PolicyClockConverter))]
    public TimeSpan AllowedUntil { get; init; } = TimeSpan.FromHours(20);

    /// <summary>When false, days the office is closed for a holiday or 年末年始 are excluded even on allowed weekdays.</summary>
    public bool AllowOnClosedDays { get; init; }

    /// <summary>
    /// The municipality's own closed days (庁舎の点検日, 独自の休庁日) on top of public holidays and 年末年始; excluded
    /// like them unless <see cref="AllowOnClosedDays"/>. Dates in JST.
    /// </summary>
    public IReadOnlyList<DateOnly> ExtraClosedDays { get; init; } = [];

    /// <summary>CIDR entries, IPv4 or IPv6. Empty means any source network.</summary>
    public IReadOnlyList<string> AllowedSourceNetworks { get; init; } = [];

    public TimeSpan MaxSessionLength { get; init; } = TimeSpan.FromHours(8);

    /// <summary>A session with no bytes either way for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    public int MaxConcurrentSessionsPerUser { get; init; } = 1;

    /// <summary>Staff may create enrollment tokens for their own home devices (otherwise only admins register them).</summary>
    public bool AllowHomeSelfRegistration { get; init; }

    /// <summary>A home device its owner enrolled waits for a tenant admin's approval before it can be used.</summary>
    public bool HomeRegistrationRequiresApproval { get; init; } = true;
}
