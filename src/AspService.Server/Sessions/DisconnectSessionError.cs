namespace AspService.Server.Sessions;

public enum DisconnectSessionError
{
    /// <summary>No such session in this tenant (another tenant's id is simply not found).</summary>
    NotFound,

    /// <summary>The session has already ended.</summary>
    NotLive,
}
