using AspService.Data.Tenancy;
using AspService.Server.Tenancy;
using AspService.Server.Tenancy.Provisioning;

namespace AspService.Server.Pki;

/// <summary>Provisioning: the tenant's own CA (after the database and defaults, before anyone is invited).</summary>
internal sealed class CreateTenantCaStep(IServiceScopeFactory scopes) : ITenantStep
{
    public string Operation => TenantOperations.Provision;

    public string Name => "create-tenant-ca";

    public int Order => 350;

    public async Task RunAsync(Tenant tenant, TenantBinding binding, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(binding);
        await scope.ServiceProvider.GetRequiredService<TenantCaStore>().EnsureAsync(tenant.Name, ct);
    }
}
