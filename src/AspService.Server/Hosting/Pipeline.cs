using AspService.Server.Billing;
using AspService.Server.Health;
using AspService.Server.Identity;
using AspService.Server.Jobs;
using AspService.Server.Tenancy;

namespace AspService.Server.Hosting;

public static class Pipeline
{
    /// <summary>
    /// Order matters: tenant resolution runs before routing (the /t/{code} prefix is stripped), static files only
    /// outside a tenant, and the tenant guard right after routing.
    /// </summary>
    public static WebApplication UseAspServicePipeline(this WebApplication app)
    {
        app.UseTrustedForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLocalization();
        app.UseMiddleware<TenantResolutionMiddleware>();
        // The consoles and the signup page belong to no tenant: never served on a tenant host or path.
        app.UseWhen(ctx => ctx.RequestServices.GetRequiredService<TenantAccessor>().Tenant is null, b =>
        {
            b.UseDefaultFiles();
            b.UseStaticFiles();
        });
        app.UseRouting();
        app.UseMiddleware<TenantEndpointGuard>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        var roles = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServerOptions>>().Value.ParsedRoles;
        app.MapHealthEndpoints();
        if (roles.HasFlag(ServerRoles.Web))
        {
            app.MapOpenApi("/openapi/{documentName}.json");
            app.MapOperatorAuthEndpoints();
            app.MapOpsTenantEndpoints();
            app.MapSignupEndpoints();
            app.MapTenantSelfEndpoints();
            app.MapBillingEndpoints();
            app.MapTenantIdentityFeature();
            app.MapJobsDashboard();
        }

        return app;
    }
}
