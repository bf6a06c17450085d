using AspService.Data.Catalog;
using AspService.Data.TenantData;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Tenancy;

/// <summary>Endpoints inside a tenant. Issue-specific features add their own groups with the same metadata.</summary>
public static class TenantSelfEndpoints
{
    public static RouteGroupBuilder MapTenantGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).WithMetadata(new TenantScopedAttribute());

    public static IEndpointRouteBuilder MapTenantSelfEndpoints(this IEndpointRouteBuilder app)
    {
        var tenant = app.MapTenantGroup("/api/v1/tenant").WithTags("Tenant");

        // Public facts only (whose service this is, for a sign-in screen or a script; no session needed).
        tenant.MapGet("/", async (TenantAccessor accessor, CatalogDbContext catalog, TenantDbContext db,
            Hosting.PublicAddress publicAddress, CancellationToken ct) =>
        {
            var binding = accessor.Required;
            var row = await catalog.Tenants.AsNoTracking().SingleAsync(t => t.Id == binding.TenantId, ct);
            var settings = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, ct);
            return TypedResults.Ok(new
            {
                code = row.Code,
                name = row.Name,
                kana = row.Kana,
                locale = settings.GetValueOrDefault("locale"),
                timeZone = settings.GetValueOrDefault("timeZone"),
                // The address agents enroll against (`aspagent enroll --server …`) and mails link to.
                publicUrl = publicAddress.TenantRoot(row.Code),
            });
        }).WithSummary("The municipality this tenant belongs to");

        // The municipality's egress networks (admins): sign-ins from them share the tenant's rate ceiling.
        tenant.MapGet("/egress", async (TenantAccessor accessor, CatalogDbContext catalog, CancellationToken ct) =>
                TypedResults.Ok(new EgressView(TenantEgress.Split(await EgressOfAsync(catalog, accessor.Required.TenantId, ct)))))
            .RequireAuthorization(Identity.TenantAuth.AdminPolicy).WithSummary("The municipality's egress networks (CIDR)");
        tenant.MapPut("/egress", (HttpContext http, TenantAccessor accessor, CatalogDbContext catalog, Audit.AuditLog audit, CancellationToken ct) =>
                Hosting.JsonBody.WithAsync<EgressView>(http, async body =>
                {
                    var (stored, errors) = TenantEgress.Normalise(body.Networks);
                    if (errors.Count > 0)
                    {
                        return Hosting.Problems.Fields(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
                    }

                    var row = await catalog.Tenants.SingleAsync(t => t.Id == accessor.Required.TenantId, ct);
                    row.EgressNetworks = stored!.Length == 0 ? null : stored;
                    await catalog.SaveChangesAsync(ct);
                    await audit.WriteAsync(EgressChanged, http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? Audit.AuditLog.System,
                        "egress", stored.Replace('\n', ','), http.Connection.RemoteIpAddress?.ToString(), ct);
                    return TypedResults.Ok(new EgressView(TenantEgress.Split(stored)));
                }, ct))
            .RequireAuthorization(Identity.TenantAuth.AdminPolicy).WithSummary("Set the municipality's egress networks (CIDR, at most 20)");

        return app;
    }

    public const string EgressChanged = "tenant.egress_changed";

    public sealed record EgressView(IReadOnlyList<string>? Networks);

    private static Task<string?> EgressOfAsync(CatalogDbContext catalog, Guid tenantId, CancellationToken ct) =>
        catalog.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.EgressNetworks).SingleAsync(ct);
}
