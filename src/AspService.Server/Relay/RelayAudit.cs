namespace AspService.Server.Relay;

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
