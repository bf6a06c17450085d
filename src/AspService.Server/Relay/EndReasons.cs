namespace AspService.Server.Relay;

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
