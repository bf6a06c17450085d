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

    /// <summary>The tenant's own egress networks (its city hall's shared addresses), when resolution knew them.</summary>
    public IReadOnlyList<string> EgressNetworks { get; private set; } = [];

    public void Set(TenantBinding tenant, IReadOnlyList<string>? egressNetworks = null)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (Interlocked.CompareExchange(ref _tenant, tenant, null) is not null)
        {
            throw new InvalidOperationException("the tenant of a scope cannot change");
        }

        EgressNetworks = egressNetworks ?? [];
    }

    /// <summary>True when the address is one of the tenant's egress networks (they share the tenant's limits).</summary>
    public bool FromEgress(System.Net.IPAddress? address) =>
        address is not null && EgressNetworks.Count > 0 && AspService.Policy.SourceNetworks.Contains(EgressNetworks, address);
}

/// <summary>Marks endpoints that exist only inside a tenant (reached via host or /t/{code}/…).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class TenantScopedAttribute : Attribute;
