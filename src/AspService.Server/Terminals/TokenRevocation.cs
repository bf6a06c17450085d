namespace AspService.Server.Terminals;

/// <summary>What revoking an enrollment token did.</summary>
public enum TokenRevocation
{
    Revoked,
    AlreadyUsed,
    NotFound,
}
