using AspService.Data;
using AspService.Server.Tenancy;
using AspService.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Data;

/// <summary>Runs only where ASPSERVICE_TEST_SQLSERVER names a server (no SQL Server engine exists on CI here).</summary>
public sealed class SqlServerLiveTests
{
    [SqlServerFact]
    public async Task Onboard_OnSqlServer_ProvisionsTenantDatabase()
    {
        var server = Environment.GetEnvironmentVariable(SqlServerFactAttribute.Variable)!;
        var catalog = new SqlConnectionStringBuilder(server) { InitialCatalog = "aspsvc_catalog_" + Guid.NewGuid().ToString("N")[..8] }.ToString();
        using var app = new AppFactory(DatabaseProvider.SqlServer, settings: new()
        {
            ["Database:Catalog"] = catalog,
            ["Database:TenantServer"] = server,
        });
        var ops = await app.OperatorClientAsync();

        var tenant = await app.OnboardTenantAsync(ops);

        Assert.Equal(TenantState.Active, tenant.State);
        Assert.True(await app.Services.GetRequiredService<TenantDatabases>().ExistsAsync(app.DatabaseNameOf(tenant.Id), CancellationToken.None));
    }
}
