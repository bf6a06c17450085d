using System.Resources;
using AspService.Server.Hosting;

namespace AspService.Server.Relay;

/// <summary>Messages of the relay and the session broker (Japanese first, English on Accept-Language: en).</summary>
internal static class RelayText
{
    // The words live in RelayText.resx (Japanese, the neutral language) and RelayText.en.resx (decision 0102).
    internal static ResourceManager Resources { get; } = new(typeof(RelayText).FullName!, typeof(RelayText).Assembly);

    public static string Get(string key, params object[] args) => Text.From(Resources, key, args);
}

/// <summary>Audit actions of the relay and the broker.</summary>
public static class RelayAudit
{
    public const string Allowed = "session.allowed";
    public const string Denied = "session.denied";
    public const string Started = "session.started";
    public const string Ended = "session.ended";
    public const string Disconnected = "session.disconnect_requested";
    public const string OfficeOnline = "terminal.online";
    public const string OfficeOffline = "terminal.offline";
}

/// <summary>Stable end reasons (stored on the session, shown to admins).</summary>
public static class EndReasons
{
    public const string HomeClosed = "home_closed";
    public const string OfficeClosed = "office_closed";
    public const string IdleTimeout = "idle_timeout";
    public const string MaxLength = "max_length";
    public const string ByAdmin = "disconnected_by_admin";
    public const string TenantSuspended = "tenant_suspended";
    public const string UserDisabled = "user_disabled";
    public const string TerminalRevoked = "terminal_revoked";
    public const string OfficeTimeout = "office_timeout";
    public const string RelayStopped = "relay_stopped";
    public const string RelayLost = "relay_lost";
    public const string PolicyDenied = "policy_denied";
}
