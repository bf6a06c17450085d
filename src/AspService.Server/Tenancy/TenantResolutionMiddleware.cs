using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Hosting;
using AspService.Server.Pki;
using AspService.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Tenancy;

/// <summary>
/// Resolves the tenant from the host, then from the <c>/t/{code}</c> path prefix — never from headers,
/// query strings or cookies — and makes it the request's fixed tenant. Runs before routing so tenant
/// endpoints see paths without the prefix.
/// </summary>
public sealed class TenantResolutionMiddleware(RequestDelegate next, IOptions<TenancyOptions> options)
{
    public async Task InvokeAsync(HttpContext context, TenantAccessor accessor, CatalogDbContext catalog)
    {
        // On the agent listener the tenant is the one the verified client certificate belongs to, and nothing else.
        if (context.Terminal() is { } terminal)
        {
            accessor.Set(terminal.Tenant);
            await next(context);
            return;
        }

        var path = context.Request.Path.Value ?? "/";
        if (TenantPath.IsSuspicious(context.Request.Path.ToUriComponent()) || TenantPath.IsSuspicious(path))
        {
            await Write(context, Problems.Of(StatusCodes.Status400BadRequest, "path_invalid"));
            return;
        }

        var hostCode = TenantPath.CodeFromHost(context.Request.Host.Host, options.Value.BaseDomain);
        var split = TenantPath.SplitPrefix(path);
        if (hostCode is not null && split is { } s && s.Code != hostCode)
        {
            await Write(context, Problems.Of(StatusCodes.Status400BadRequest, "tenant_conflict"));
            return;
        }

        var code = hostCode ?? split?.Code;
        if (code is null)
        {
            await next(context);
            return;
        }

        var tenant = await catalog.Tenants.AsNoTracking()
            .Where(t => t.Code == code && t.State != TenantState.Deleted)
            .Select(t => new { t.Id, t.Code, t.DatabaseName, t.State, t.EgressNetworks })
            .FirstOrDefaultAsync(context.RequestAborted);
        var refusal = tenant?.State switch
        {
            null or TenantState.Applied or TenantState.Approved => Problems.Of(StatusCodes.Status404NotFound, "tenant_not_found"),
            TenantState.Suspended => Problems.Of(StatusCodes.Status403Forbidden, "tenant_suspended"),
            TenantState.Decommissioning => Problems.Of(StatusCodes.Status403Forbidden, "tenant_closing"),
            TenantState.Provisioning => Problems.Of(StatusCodes.Status503ServiceUnavailable, "tenant_provisioning"),
            _ => null,
        };
        if (refusal is not null)
        {
            await Write(context, refusal);
            return;
        }

        accessor.Set(new TenantBinding(tenant!.Id, tenant.Code, tenant.DatabaseName), TenantEgress.Split(tenant.EgressNetworks));
        if (split is { } prefix)
        {
            // Path.Value is already decoded: wrap it as it is. Decoding it again (FromUriComponent) turned a
            // request for "%2500" into a NUL character and a 500.
            context.Request.PathBase = context.Request.PathBase.Add(new PathString(TenantPath.Prefix + prefix.Code));
            context.Request.Path = new PathString(prefix.Remainder);
        }

        await next(context);
    }

    internal static Task Write(HttpContext context, IResult result) => result.ExecuteAsync(context);
}
