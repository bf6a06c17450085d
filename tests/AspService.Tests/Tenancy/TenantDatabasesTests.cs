using AspService.Data;
using AspService.Data.Tenancy;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Tenancy;

public sealed class TenantDatabasesTests
{
    [Fact]
    public async Task MigrateAsync_EmptySqliteDatabase_AppliesEveryMigration()
    {
        using var app = new AppFactory();
        var binding = NewBinding();
        var path = app.Services.GetRequiredService<DatabaseProviders>().SqliteTenantPath(binding.DatabaseName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, []);

        var version = await app.Services.GetRequiredService<TenantDatabases>().MigrateAsync(binding, CancellationToken.None);

        Assert.Equal(Latest(app, binding), version);
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task CreateAsync_TwiceFromTemplate_OneCurrentDatabase()
    {
        using var app = new AppFactory();
        var databases = app.Services.GetRequiredService<TenantDatabases>();
        var binding = NewBinding();

        await databases.CreateAsync(binding, CancellationToken.None);
        await databases.CreateAsync(binding, CancellationToken.None);
        var version = await databases.MigrateAsync(binding, CancellationToken.None);

        Assert.True(await databases.ExistsAsync(binding.DatabaseName, CancellationToken.None));
        Assert.Equal(Latest(app, binding), version);
    }

    internal static TenantBinding NewBinding() =>
        new(Guid.NewGuid(), "131016", "t131016_" + Guid.NewGuid().ToString("N")[..8]);

    internal static string Latest(AppFactory app, TenantBinding binding)
    {
        using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding);
        return db.Database.GetMigrations().Last();
    }
}

[Collection(PostgresGroup.Name)]
public sealed class TenantDatabasesPostgresTests(PostgresCluster cluster)
{
    [Fact]
    public async Task CreateAsync_TwiceFromTemplate_OneCurrentDatabase()
    {
        var catalog = await cluster.CreateDatabaseAsync("catalog_" + Guid.NewGuid().ToString("N")[..8]);
        using var app = new AppFactory(DatabaseProvider.PostgreSql, cluster.ServerConnectionString, catalog);
        var databases = app.Services.GetRequiredService<TenantDatabases>();
        var binding = TenantDatabasesTests.NewBinding();

        await databases.CreateAsync(binding, CancellationToken.None);
        await databases.CreateAsync(binding, CancellationToken.None);
        var version = await databases.MigrateAsync(binding, CancellationToken.None);

        Assert.True(await databases.ExistsAsync(binding.DatabaseName, CancellationToken.None));
        Assert.Equal(TenantDatabasesTests.Latest(app, binding), version);
        await databases.DropAsync(binding.DatabaseName, CancellationToken.None);
        Assert.False(await databases.ExistsAsync(binding.DatabaseName, CancellationToken.None));
    }
}
