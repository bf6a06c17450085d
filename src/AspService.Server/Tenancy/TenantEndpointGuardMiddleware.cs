using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Hosting;
using AspService.Server.Pki;
using AspService.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Tenancy;

/// <summary>
/// After routing: tenant endpoints answer only inside a tenant, and everything else (the operator area,
/// signups, health, OpenAPI) only outside one. A tenant path can never reach an operator endpoint.
/// </summary>
public sealed class TenantEndpointGuardMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, TenantAccessor accessor)
    {
        var endpoint = context.GetEndpoint();
        var tenantScoped = endpoint?.Metadata.GetMetadata<TenantScopedAttribute>() is not null;
        // Terminal endpoints only on the agent listener, and the agent listener serves nothing else.
        if ((endpoint?.Metadata.GetMetadata<TerminalEndpointAttribute>() is not null) != (context.Terminal() is not null))
        {
            await TenantResolutionMiddleware.Write(context, Problems.NotFound());
            return;
        }

        if (accessor.Tenant is not null && !tenantScoped)
        {
            await TenantResolutionMiddleware.Write(context, Problems.NotFound());
            return;
        }

        if (accessor.Tenant is null && tenantScoped)
        {
            await TenantResolutionMiddleware.Write(context, Problems.Of(StatusCodes.Status404NotFound, "tenant_required"));
            return;
        }

        await next(context);
    }
}
