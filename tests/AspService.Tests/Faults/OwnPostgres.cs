using AspService.Tests.Infrastructure;

namespace AspService.Tests.Faults;

/// <summary>A PostgreSQL cluster of the fault tests' own, which they stop and start (the shared one is left alone).</summary>
public sealed class OwnPostgres : IAsyncLifetime
{
    public PostgresCluster Cluster { get; } = new();

    public Task InitializeAsync() => Cluster.InitializeAsync();

    public Task DisposeAsync() => Cluster.DisposeAsync();
}
