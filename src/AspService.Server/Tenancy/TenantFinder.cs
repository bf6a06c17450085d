using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Tenancy;

/// <summary>How operators name a tenant: a live tenant by its six-digit code, or any tenant (including deleted) by id.</summary>
public static class TenantFinder
{
    public static Task<Tenant?> FindAsync(CatalogDbContext catalog, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Guid.TryParse(key, out var id)
            ? catalog.Tenants.SingleOrDefaultAsync(t => t.Id == id, ct)
            : LocalGovernmentCode.IsWellFormed(key)
                ? catalog.Tenants.SingleOrDefaultAsync(t => t.Code == key && t.State != TenantState.Deleted, ct)
                : Task.FromResult<Tenant?>(null);
    }

    /// <summary>The 404 of an unknown key, with the operator API's own title.</summary>
    public static Common.Failure NotFound() => Hosting.Failures.Of(StatusCodes.Status404NotFound, "tenant_not_found");
}
