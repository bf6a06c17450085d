using AspService.Data.Tenancy;

namespace AspService.Server.Tenancy;

/// <summary>
/// The tenant of the current request, job or connection. Set once by resolution; a second set throws,
/// so nothing can switch tenants half-way through.
/// </summary>
public sealed class TenantAccessor
{
    private TenantBinding? _tenant;

    public TenantBinding? Tenant => _tenant;

    public TenantBinding Required => _tenant ?? throw new InvalidOperationException("no tenant in this scope");

    public void Set(TenantBinding tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (Interlocked.CompareExchange(ref _tenant, tenant, null) is not null)
        {
            throw new InvalidOperationException("the tenant of a scope cannot change");
        }
    }
}

/// <summary>Marks endpoints that exist only inside a tenant (reached via host or /t/{code}/…).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class TenantScopedAttribute : Attribute;
