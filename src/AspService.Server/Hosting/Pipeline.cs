using AspService.Server.Billing;
using AspService.Server.Consoles;
using AspService.Server.Health;
using AspService.Server.Identity;
using AspService.Server.Jobs;
using AspService.Server.Observability;
using AspService.Server.Tenancy;
using AspService.Server.Pki;
using AspService.Server.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

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
        app.UseConsoleSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLocalization();
        app.Use(RedirectBareTenantPrefix);
        app.UseMiddleware<TenantResolutionMiddleware>();
        // The consoles and the signup page belong to no tenant: never served on a tenant host or path.
        app.UseWhen(ctx => ctx.RequestServices.GetRequiredService<TenantAccessor>().Tenant is null && ctx.Terminal() is null, b =>
        {
            b.UseDefaultFiles();
            b.UseStaticFiles();
        });
        // Inside a tenant only the shared /assets (the consoles' CSS and script); the pages are Razor Pages.
        app.UseWhen(ctx => ctx.RequestServices.GetRequiredService<TenantAccessor>().Tenant is not null && ctx.Terminal() is null,
            b => UseTenantAssets(b, app.Environment));
        // WebSocket pings keep idle control connections alive through proxies and NAT.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        app.UseRouting();
        app.UseMiddleware<TenantEndpointGuardMiddleware>();
        app.UseLoopbackOrHttpsForTokens();
        // Before authentication: OpenIddict answers its endpoints inside the authentication middleware.
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseConsoleUser();
        app.UseAuthorization();

        var roles = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServerOptions>>().Value.ParsedRoles;
        app.MapHealthEndpoints();
        if (roles.HasFlag(ServerRoles.Web))
        {
            app.MapOpenApi("/openapi/{documentName}.json");
            app.MapJobsDashboard();
            app.MapConsoles();
            foreach (var module in Modules.All)
            {
                module.MapWeb(app);
            }

            app.MapGet("/", TenantRoot).WithMetadata(new TenantScopedAttribute(), new ConsolePageAttribute()).ExcludeFromDescription();
        }

        if (roles.HasFlag(ServerRoles.Relay))
        {
            foreach (var module in Modules.All)
            {
                module.MapRelay(app);
            }
        }

        return app;
    }

    /// <summary>
    /// The tenant's root (<c>/t/131016/</c> or the tenant host's <c>/</c>) has no page of its own: a signed-in member goes
    /// to their start page, anyone else to sign-in (which brings them there afterwards).
    /// </summary>
    private static RedirectHttpResult TenantRoot(HttpContext ctx) =>
        TypedResults.Redirect(ctx.Request.PathBase + (ctx.User.Identity?.IsAuthenticated == true ? "/my" : "/sign-in"));

    /// <summary>"/t/131016" (no slash), the address people type, goes to "/t/131016/" and from there as the root does.</summary>
    private static Task RedirectBareTenantPrefix(HttpContext ctx, RequestDelegate next)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (HttpMethods.IsGet(ctx.Request.Method) && !path.EndsWith('/') && TenantPath.SplitPrefix(path) is { Remainder: "/" })
        {
            ctx.Response.Redirect(ctx.Request.PathBase + path + "/" + ctx.Request.QueryString);
            return Task.CompletedTask;
        }

        return next(ctx);
    }

    private static void UseTenantAssets(IApplicationBuilder b, IWebHostEnvironment env)
    {
        // A process started without its wwwroot (e.g. from bin/ with another working folder) serves APIs only.
        var assets = string.IsNullOrEmpty(env.WebRootPath) ? null : Path.Combine(env.WebRootPath, "assets");
        if (assets is null || !Directory.Exists(assets))
        {
            return;
        }

        b.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(assets),
            RequestPath = "/assets",
        });
    }
}
