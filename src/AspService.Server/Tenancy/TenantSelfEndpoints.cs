using AspService.Data.Catalog;
using AspService.Data.TenantData;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Tenancy;

/// <summary>Endpoints inside a tenant. Issue-specific features add their own groups with the same metadata.</summary>
public static class TenantSelfEndpoints
{
    /// <summary>The audit action of a changed egress list (named here for the audit catalog).</summary>
    public const string EgressChanged = TenantEgressSettings.EgressChanged;

    public static RouteGroupBuilder MapTenantGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).WithMetadata(new TenantScopedAttribute());

    public static IEndpointRouteBuilder MapTenantSelfEndpoints(this IEndpointRouteBuilder app)
    {
        var tenant = app.MapTenantGroup("/api/v1/tenant").WithTags("Tenant");

        // Public facts only (whose service this is, for a sign-in screen or a script; no session needed).
        tenant.MapGet("/", async (TenantAccessor accessor, CatalogDbContext catalog, TenantDbContext db,
            PublicAddress publicAddress, CancellationToken ct) =>
        {
            var binding = accessor.Required;
            var row = await catalog.Tenants.AsNoTracking().SingleAsync(t => t.Id == binding.TenantId, ct);
            var settings = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, ct);
            return TypedResults.Ok(new TenantInfoDto(row.Code, row.Name, row.Kana, settings.GetValueOrDefault("locale"),
                settings.GetValueOrDefault("timeZone"), publicAddress.TenantRoot(row.Code)));
        }).WithName("GetTenantInfo").WithSummary("The municipality this tenant belongs to");

        // The municipality's egress networks (admins): sign-ins from them share the tenant's rate ceiling.
        tenant.MapGet("/egress", async (TenantEgressSettings egress, CancellationToken ct) => TypedResults.Ok(await egress.GetAsync(ct)))
            .RequireAuthorization(Identity.TenantAuth.AdminPolicy).WithName("GetTenantEgress").WithSummary("The municipality's egress networks (CIDR)");
        tenant.MapPut("/egress", async Task<Results<Ok<EgressView>, ProblemHttpResult>> (HttpContext http, TenantEgressSettings egress, CancellationToken ct) =>
            {
                var (body, problem) = await JsonBody.ReadAsync<EgressView>(http.Request, ct);
                if (problem is not null)
                {
                    return problem;
                }

                var actor = HttpActor.Of(http.User, http.Connection.RemoteIpAddress?.ToString());
                return (await egress.SetAsync(body!, actor, ct)).ToOk();
            })
            .RequireAuthorization(Identity.TenantAuth.AdminPolicy).WithName("SetTenantEgress")
            .Accepts<EgressView>("application/json").ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Set the municipality's egress networks (CIDR, at most 20)");

        return app;
    }
}
