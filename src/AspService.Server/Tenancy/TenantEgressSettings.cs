using AspService.Common;
using AspService.Data.Catalog;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Tenancy;

/// <summary>
/// The request's tenant's egress networks (admins): sign-ins from them share the tenant's rate ceiling. The row is
/// the catalog's, always the tenant resolved for the request, never one the client names.
/// </summary>
public sealed class TenantEgressSettings(TenantAccessor accessor, CatalogDbContext catalog, AuditLog audit)
{
    public const string EgressChanged = "tenant.egress_changed";

    public async Task<EgressView> GetAsync(CancellationToken ct)
    {
        var tenantId = accessor.Required.TenantId;
        var stored = await catalog.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.EgressNetworks).SingleAsync(ct);
        return new EgressView(TenantEgress.Split(stored));
    }

    /// <summary>Replaces the list (at most <see cref="TenantEgress.MaxNetworks"/>); field errors are keyed "networks[i]".</summary>
    public async Task<Outcome<EgressView>> SetAsync(EgressView request, Actor? actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (stored, errors) = TenantEgress.Normalise(request.Networks);
        if (errors.Count > 0)
        {
            return Failures.Fields(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
        }

        var tenantId = accessor.Required.TenantId;
        var row = await catalog.Tenants.SingleAsync(t => t.Id == tenantId, ct);
        row.EgressNetworks = stored!.Length == 0 ? null : stored;
        await catalog.SaveChangesAsync(ct);
        await audit.WriteAsync(EgressChanged, actor?.Id ?? AuditLog.System, "egress", stored.Replace('\n', ','), actor?.Client, ct);
        return new EgressView(TenantEgress.Split(stored));
    }
}
