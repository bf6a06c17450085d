namespace AspService.Server.Sessions;

public sealed record DisconnectSessionOutcome(DisconnectSessionError? Error)
{
    public bool Succeeded => Error is null;
}
