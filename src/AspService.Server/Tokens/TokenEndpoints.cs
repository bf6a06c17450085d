using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AspService.Server.Tokens;

/// <summary>
/// OpenIddict answers its endpoints in the authentication middleware, after routing and the tenant guard.
/// Mapping every OpenIddict URI as a tenant-scoped endpoint lets the guard treat them like any tenant
/// endpoint: reachable under a tenant, 404 outside one (so there is no issuer at the bare host). The
/// token endpoint is pass-through and handled here; the others never reach their
/// placeholder because OpenIddict has already answered. The verification endpoint (connect/verify) is the
/// page Pages/Tokens/Verify.
/// </summary>
public static class TokenEndpoints
{
    public const string Token = "connect/token";
    public const string Device = "connect/device";
    public const string Verify = "connect/verify";
    public const string Configuration = ".well-known/openid-configuration";
    public const string Keys = ".well-known/jwks";

    private static readonly string[] Methods = ["GET", "POST"];

    public static IEndpointRouteBuilder MapTenantTokenEndpoints(this IEndpointRouteBuilder app)
    {
        var connect = app.MapTenantGroup("/connect").WithTags("Tokens").ExcludeFromDescription()
            .RequireRateLimiting(RateLimitPolicies.Auth);
        connect.MapPost("/token", (HttpContext http, DeviceFlowHandler flow) => flow.TokenAsync(http));
        connect.MapMethods("/device", Methods, Unhandled);

        var wellKnown = app.MapTenantGroup("/.well-known").WithTags("Tokens").ExcludeFromDescription();
        wellKnown.MapMethods("/openid-configuration", Methods, Unhandled);
        wellKnown.MapMethods("/jwks", Methods, Unhandled);

        app.MapTenantGroup("/api/v1/agent").WithTags("Tokens").RequireAuthorization(TokensModule.Policy)
            .MapGet("/whoami", (HttpContext http, TenantAccessor tenant) => TypedResults.Ok(new WhoAmIResponse(
                http.User.GetClaim(Claims.Subject), http.User.GetClaim(Claims.Name), http.User.GetClaim(Claims.Role), tenant.Required.Code)))
            .WithName("AgentWhoAmI").WithSummary("The user behind a bearer access token (for the command-line agent)")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    // Reached only if OpenIddict did not handle the request (it always does for these URIs).
    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Unhandled() => Problems.NotFound();
}
