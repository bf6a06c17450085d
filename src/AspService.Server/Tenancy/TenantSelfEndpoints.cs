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

        // Public facts only (the portal's sign-in page shows whose service this is).
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

        return app;
    }
}
