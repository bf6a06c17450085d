using System.Diagnostics;
using System.Net.Http.Json;
using AspService.Data;
using AspService.Data.Identity;
using AspService.Server.Tenancy;
using AspService.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Jobs;

/// <summary>
/// The jobs role as the real server process on PostgreSQL, killed (SIGKILL) in the middle of provisioning and
/// started again: the catalog, not the queue, is the truth, so every tenant ends provisioned exactly once.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class JobsKillTests(PostgresCluster cluster)
{
    private const int Tenants = 40;

    [Fact]
    public async Task JobsProcess_KilledMidProvisioning_RestartCompletesEveryTenantWithoutDuplicates()
    {
        var catalog = await cluster.CreateDatabaseAsync("kill_" + Guid.NewGuid().ToString("N")[..8]);
        using var app = new AppFactory(DatabaseProvider.PostgreSql, cluster.ServerConnectionString, catalog);
        var ops = await app.OperatorClientAsync();
        var codes = new List<string>();
        while (codes.Count < Tenants)
        {
            var lg = AppFactory.FreshMunicipality();
            var accepted = await ops.PostAsJsonAsync("/api/v1/ops/tenants", new { code = lg.Code, adminEmail = "admin@" + lg.Code + ".lg.example" });
            if (accepted.StatusCode == System.Net.HttpStatusCode.Accepted)
            {
                codes.Add(lg.Code);
            }
        }

        using (var first = StartJobsProcess(app, catalog))
        {
            // Kill as soon as provisioning is under way and unfinished.
            await Eventually.UntilAsync(async () => await ActiveAsync(app, codes) > 0, TimeSpan.FromMinutes(2));
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        Assert.InRange(await ActiveAsync(app, codes), 1, Tenants - 1);

        using (var second = StartJobsProcess(app, catalog))
        {
            // The dead process's locks expire after Jobs:DistributedLockTimeout; the per-minute schedule then resumes.
            await Eventually.UntilAsync(async () => await ActiveAsync(app, codes) == Tenants, TimeSpan.FromMinutes(4));
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        foreach (var code in codes)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var catalogDb = scope.ServiceProvider.GetRequiredService<AspService.Data.Catalog.CatalogDbContext>();
            var tenant = await catalogDb.Tenants.AsNoTracking().SingleAsync(t => t.Code == code && t.State == TenantState.Active);
            await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(new AspService.Data.Tenancy.TenantBinding(tenant.Id, code, tenant.DatabaseName));
            Assert.Equal(1, await db.TenantInfo.CountAsync());
            Assert.Equal(1, await db.CertificateAuthorities.CountAsync(c => c.Current));
            Assert.Equal(1, await db.Users.CountAsync());
            Assert.Equal(1, await db.UserRoles.CountAsync(r => r.RoleId == TenantRoles.AdminId));
            Assert.Equal(1, await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication<Guid>>().CountAsync());
        }
    }

    private static Process StartJobsProcess(AppFactory app, string catalog)
    {
        return ServerProcess.Start(
        [
            "--urls", "http://127.0.0.1:0",
            "--Server:Roles=jobs",
            "--Server:MigrateCatalogOnStart=false",
            "--Database:Provider=PostgreSql",
            "--Database:Catalog=" + catalog,
            "--Database:TenantServer=" + app.Services.GetRequiredService<DatabaseOptions>().TenantServer,
            "--Database:DataRoot=" + app.DataRoot,
            "--Jobs:TenantOperationsCron=* * * * *",
            "--Jobs:DistributedLockTimeout=00:01:00",
            "--Logging:LogLevel:Default=Warning",
        ]);
    }

    private static async Task<int> ActiveAsync(AppFactory app, IReadOnlyCollection<string> codes)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<AspService.Data.Catalog.CatalogDbContext>();
        return await catalog.Tenants.AsNoTracking().CountAsync(t => codes.Contains(t.Code) && t.State == TenantState.Active);
    }
}
