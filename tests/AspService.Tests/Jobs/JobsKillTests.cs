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

        // Every tenant is checked and every wrong one reported with its recorded steps, so a rare failure says which
        // step's work is missing and when each step ran (across the kill and the restart).
        var wrong = new List<string>();
        foreach (var code in codes)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var catalogDb = scope.ServiceProvider.GetRequiredService<AspService.Data.Catalog.CatalogDbContext>();
            var tenant = await catalogDb.Tenants.AsNoTracking().SingleAsync(t => t.Code == code && t.State == TenantState.Active);
            await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(new AspService.Data.Tenancy.TenantBinding(tenant.Id, code, tenant.DatabaseName));
            var counts = new Dictionary<string, int>
            {
                ["info"] = await db.TenantInfo.CountAsync(),
                ["ca"] = await db.CertificateAuthorities.CountAsync(c => c.Current),
                ["users"] = await db.Users.CountAsync(),
                ["admins"] = await db.UserRoles.CountAsync(r => r.RoleId == TenantRoles.AdminId),
                ["oidc-apps"] = await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication<Guid>>().CountAsync(),
            };
            if (counts.Values.Any(c => c != 1))
            {
                var steps = await catalogDb.TenantOperationSteps.AsNoTracking().Where(x => x.TenantId == tenant.Id)
                    .OrderBy(x => x.CompletedAt).Select(x => new { x.Step, x.CompletedAt }).ToListAsync();
                wrong.Add($"{code}: {string.Join(", ", counts.Select(c => c.Key + "=" + c.Value))}; steps "
                    + string.Join(", ", steps.Select(x => x.Step + "@" + x.CompletedAt.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture))));
            }
        }

        Assert.True(wrong.Count == 0, "each of these should have exactly one of each:\n" + string.Join("\n", wrong));
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
