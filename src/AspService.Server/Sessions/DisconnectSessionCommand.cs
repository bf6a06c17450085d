namespace AspService.Server.Sessions;

/// <summary>Force-disconnect of one of the tenant's sessions by an administrator.</summary>
public sealed record DisconnectSessionCommand(Guid SessionId);
