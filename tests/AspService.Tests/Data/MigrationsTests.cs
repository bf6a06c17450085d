using AspService.Data;
using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Data.TenantData;
using AspService.Server.Cli;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AspService.Tests.Data;

/// <summary>What is verified for every provider without a server: migrations match the model, scripts generate.</summary>
public sealed class MigrationsTests
{
    public static TheoryData<DatabaseProvider> AllProviders => [DatabaseProvider.SqlServer, DatabaseProvider.PostgreSql, DatabaseProvider.Sqlite];

    [Theory]
    [MemberData(nameof(AllProviders))]
    public void CatalogMigrations_Provider_InSyncWithModel(DatabaseProvider provider)
    {
        using var db = new CatalogDbContext(Providers.Offline(provider).CatalogOptions());
        Assert.False(db.Database.HasPendingModelChanges(), $"{provider} catalog migrations are out of date: run dotnet ef migrations add");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Theory]
    [MemberData(nameof(AllProviders))]
    public void TenantMigrations_Provider_InSyncWithModel(DatabaseProvider provider)
    {
        using var db = Tenant(provider);
        Assert.False(db.Database.HasPendingModelChanges(), $"{provider} tenant migrations are out of date: run dotnet ef migrations add");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Theory]
    [MemberData(nameof(AllProviders))]
    public void Migrations_Provider_ComeFromItsOwnAssembly(DatabaseProvider provider)
    {
        using var db = Tenant(provider);
        var assembly = db.GetService<IMigrationsAssembly>().Assembly.GetName().Name;
        Assert.Equal("AspService.Data." + provider, assembly);
    }

    [Fact]
    public async Task ScriptCommand_SqlServer_WritesIdempotentScriptOffline()
    {
        foreach (var context in new[] { "catalog", "tenant" })
        {
            var file = Path.Combine(Path.GetTempPath(), $"aspsvc-{context}-{Guid.NewGuid():N}.sql");
            var output = new StringWriter();
            var exit = await ServerCommands.RunAsync(["script", "--provider", "SqlServer", "--context", context, "--output", file],
                EmptyServices.Instance, output, new StringWriter());
            Assert.Equal(0, exit);
            var sql = await File.ReadAllTextAsync(file);
            File.Delete(file);
            Assert.Contains("IF NOT EXISTS", sql, StringComparison.Ordinal);
            Assert.Contains("[__EFMigrationsHistory]", sql, StringComparison.Ordinal);
            Assert.Contains(context == "catalog" ? "CREATE TABLE [Tenants]" : "CREATE TABLE [Settings]", sql, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ScriptCommand_BadProvider_OneLineErrorNonZero()
    {
        var error = new StringWriter();
        var exit = await ServerCommands.RunAsync(["script", "--provider", "Oracle"], EmptyServices.Instance, new StringWriter(), error);
        Assert.Equal(2, exit);
        Assert.Single(error.ToString().Trim().Split('\n'));
    }

    private static TenantDbContext Tenant(DatabaseProvider provider) =>
        new(Providers.Offline(provider).TenantOptions("t000000_x"), new TenantBinding(Guid.Empty, "000000", "t000000_x"));

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
