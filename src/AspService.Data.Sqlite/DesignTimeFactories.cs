using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Data.TenantData;
using Microsoft.EntityFrameworkCore.Design;

namespace AspService.Data.Sqlite;

// Used only by dotnet-ef to build this provider's migrations; no database is contacted.
internal static class DesignTime
{
    public static DatabaseProviders Providers { get; } = new(new DatabaseOptions
    {
        Provider = DatabaseProvider.Sqlite,
        Catalog = null,
        TenantServer = null,
        DataRoot = Path.GetTempPath(),
    });
}

internal sealed class CatalogDesignTimeFactory : IDesignTimeDbContextFactory<CatalogDbContext>
{
    public CatalogDbContext CreateDbContext(string[] args) => new(DesignTime.Providers.CatalogOptions());
}

internal sealed class TenantDesignTimeFactory : IDesignTimeDbContextFactory<TenantDbContext>
{
    public TenantDbContext CreateDbContext(string[] args) =>
        new(DesignTime.Providers.TenantOptions("design_time"), new TenantBinding(Guid.Empty, "000000", "design_time"));
}
