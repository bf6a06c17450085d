using AspService.Server.Health;
using AspService.Server.Identity;
using AspService.Server.Tenancy;

namespace AspService.Server.Hosting;

public static class Pipeline
{
    /// <summary>
    /// Order matters: static files and the tenant resolution run before routing (so the /t/{code} prefix is
    /// stripped and cannot serve the operator console), the tenant guard runs right after routing.
    /// </summary>
    public static WebApplication UseAspServicePipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLocalization();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseMiddleware<TenantResolutionMiddleware>();
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
            app.MapTenantIdentityFeature();
        }

        return app;
    }
}
