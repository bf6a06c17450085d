using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Authentication;

namespace AspService.Server.Consoles;

/// <summary>
/// On a tenant console page the request's user is the tenant session (password + TOTP, tenant-bound cookie),
/// never the operator cookie that the default scheme would pick. Antiforgery tokens are then bound to that user.
/// </summary>
public static class ConsoleUser
{
    public static IApplicationBuilder UseConsoleUser(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        if (ctx.GetEndpoint()?.Metadata.GetMetadata<ConsolePageAttribute>() is not null
            && ctx.RequestServices.GetRequiredService<TenantAccessor>().Tenant is not null)
        {
            var result = await ctx.AuthenticateAsync(TenantAuth.Scheme);
            ctx.User = result.Succeeded ? result.Principal : new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        }

        await next(ctx);
    });
}
