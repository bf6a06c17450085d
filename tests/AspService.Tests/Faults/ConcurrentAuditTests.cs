using AspService.Server.Audit;
using AspService.Server.Tenancy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Faults;

/// <summary>
/// Found by the sign-in storm benchmark: a burst of audit writes in one tenant (16 sign-ins at once) exhausted the
/// append's retries on the chain's sequence and answered 500, losing the row. Every write must land, chain intact.
/// </summary>
public sealed class ConcurrentAuditTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task ABurstOfConcurrentAuditWrites_AllLand_AndTheChainHolds()
    {
        var app = host.App;
        var admin = await app.TenantAdminAsync();
        var before = (await app.AuditActionsAsync(admin.Tenant)).Count;

        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(app.Binding(admin.Tenant));
            await scope.ServiceProvider.GetRequiredService<AuditLog>().WriteAsync("test.burst", AuditLog.System, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        })));

        Assert.Equal(before + 32, (await app.AuditActionsAsync(admin.Tenant)).Count);
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(app.Binding(admin.Tenant));
        Assert.True((await AuditLog.VerifyAsync(db, CancellationToken.None)).Intact);
    }
}
