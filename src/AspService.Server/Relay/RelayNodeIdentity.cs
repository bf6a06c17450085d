namespace AspService.Server.Relay;

/// <summary>This process's identity as a relay node (new at each start).</summary>
public sealed class RelayNodeIdentity
{
    public Guid Id { get; } = Guid.NewGuid();
}
