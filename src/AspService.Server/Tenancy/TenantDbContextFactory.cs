using AspService.Data;
using AspService.Data.Tenancy;
using AspService.Data.TenantData;

namespace AspService.Server.Tenancy;

/// <summary>
/// Creates tenant DbContexts bound to one tenant. No pooling: a pooled context could carry one tenant's
/// state into another's request.
/// </summary>
public sealed class TenantDbContextFactory(DatabaseProviders providers)
{
    public TenantDbContext Create(TenantBinding tenant) =>
        new(providers.TenantOptions(tenant.DatabaseName), tenant);

    /// <summary>An unpooled context for one-off administrative work (provisioning, migrate-all, export).</summary>
    public TenantDbContext CreateUnpooled(TenantBinding tenant) =>
        new(providers.TenantOptions(tenant.DatabaseName, pooled: false), tenant);
}
