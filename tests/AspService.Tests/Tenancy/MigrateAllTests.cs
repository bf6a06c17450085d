using AspService.Data.Catalog;
using AspService.Server.Cli;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Tenancy;

public sealed class MigrateAllTests
{
    [Fact]
    public async Task Migrate_AllTenants_RecordsStatus_AndReportsBrokenTenantWithoutStoppingOthers()
    {
        using var app = new AppFactory();
        var ops = await app.OperatorClientAsync();
        var good = await app.OnboardTenantAsync(ops);
        var broken = await app.OnboardTenantAsync(ops);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await File.WriteAllTextAsync(Path.Combine(app.DataRoot, "tenants", app.DatabaseNameOf(broken.Id) + ".db"), "not a database");
        var output = new StringWriter();

        var exit = await ServerCommands.RunAsync(["migrate", "--parallel", "2"], app.Services, output, new StringWriter());

        Assert.Equal(1, exit);
        Assert.Contains($"{good.Code} {good.Name}: ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"{broken.Code} {broken.Name}: FAILED", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("tenants: 1 migrated, 1 failed", output.ToString(), StringComparison.Ordinal);
        await using var catalog = await app.Services.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync();
        var rows = await catalog.Tenants.AsNoTracking().Where(t => t.Id == good.Id || t.Id == broken.Id).ToListAsync();
        Assert.Null(rows.Single(t => t.Id == good.Id).MigrationError);
        Assert.NotNull(rows.Single(t => t.Id == good.Id).MigratedAt);
        Assert.NotNull(rows.Single(t => t.Id == broken.Id).MigrationError);
    }

    [Fact]
    public async Task Migrate_TenantFromOlderVersion_RunsProvisioningStepsAddedSince()
    {
        using var app = new AppFactory();
        var ops = await app.OperatorClientAsync();
        var tenant = await app.OnboardTenantAsync(ops);
        await using (var catalog = await app.Services.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync())
        {
            // As if "seed-defaults" had been added by a later version: not recorded, its data missing.
            await catalog.TenantOperationSteps.Where(s => s.TenantId == tenant.Id && s.Step == "seed-defaults").ExecuteDeleteAsync();
        }

        await using (var db = app.Services.GetRequiredService<Server.Tenancy.TenantDbContextFactory>().Create(app.Binding(tenant)))
        {
            await db.Settings.ExecuteDeleteAsync();
        }

        var output = new StringWriter();
        var exit = await ServerCommands.RunAsync(["migrate"], app.Services, output, new StringWriter());

        Assert.Equal(0, exit);
        Assert.Contains("(+seed-defaults)", output.ToString(), StringComparison.Ordinal);
        await using var check = app.Services.GetRequiredService<Server.Tenancy.TenantDbContextFactory>().Create(app.Binding(tenant));
        Assert.Equal(2, await check.Settings.CountAsync());
        Assert.Equal(1, await check.Users.CountAsync()); // the invite step was already recorded: not repeated
    }

    [Fact]
    public async Task Migrate_BadParallelism_OneLineError()
    {
        using var app = new AppFactory();
        var error = new StringWriter();

        var exit = await ServerCommands.RunAsync(["migrate", "--parallel", "0"], app.Services, new StringWriter(), error);

        Assert.Equal(2, exit);
        Assert.Contains("--parallel", error.ToString(), StringComparison.Ordinal);
    }
}
