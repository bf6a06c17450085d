using AspService.Data;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Jobs;

/// <summary>The rotation and reaping scenarios on PostgreSQL with Hangfire's PostgreSQL storage.</summary>
[Collection(PostgresGroup.Name)]
public sealed class RotationPostgresTests(PostgresCluster cluster)
{
    private async Task<AppFactory> AppAsync() =>
        new(DatabaseProvider.PostgreSql, cluster.ServerConnectionString, await cluster.CreateDatabaseAsync("rot_" + Guid.NewGuid().ToString("N")[..8]),
            JobScenarios.Settings());

    [Fact]
    public async Task Rotation_RunTwice_DueFound_ExpiredUnrenewedAuditedAndMailedOnce()
    {
        using var app = await AppAsync();
        await RotationTests.Rotation_RunTwice_DueFound_ExpiredUnrenewedAuditedAndMailedOnceAsync(app);
    }

    [Fact]
    public async Task CaRollover_OnceInsideMargin_OldAndNewCertificatesBothVerifyThroughOverlap()
    {
        using var app = await AppAsync();
        await RotationTests.CaRollover_OnceInsideMargin_OldAndNewCertificatesBothVerifyThroughOverlapAsync(app);
    }

    [Fact]
    public async Task Rotation_ForTenantA_NeverTouchesTenantB()
    {
        using var app = await AppAsync();
        await RotationTests.Rotation_ForTenantA_NeverTouchesTenantBAsync(app);
    }

    [Fact]
    public async Task Reaping_RunTwice_StaleSessionsEnded_OldTokensCommandsAndNodesRemoved()
    {
        using var app = await AppAsync();
        await RotationTests.Reaping_RunTwice_StaleSessionsEnded_OldTokensCommandsAndNodesRemovedAsync(app);
    }
}
