using System.Security.Claims;
using AspService.Data.Identity;
using AspService.Server.Consoles;
using AspService.Server.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Identity;

/// <summary>Operator browser sessions' cookies: the session, the pending second factor, and their principal.</summary>
public static class OperatorCookieHandler
{
    public static ClaimsPrincipal Principal(OperatorUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(OperatorAuth.Scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Email!));
        identity.AddClaim(new Claim(ClaimTypes.Role, "Operator"));
        identity.AddClaim(new Claim("amr", "mfa"));
        identity.AddClaim(new Claim("stamp", user.SecurityStamp ?? ""));
        if (user.IsAdministrator)
        {
            identity.AddClaim(new Claim(OperatorAuth.AdminClaim, "true"));
        }

        if (user.PasswordChangeRequired)
        {
            identity.AddClaim(new Claim(OperatorAuth.PasswordChangeClaim, "true"));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>The operator schemes (the default scheme of the service) and the operator policy.</summary>
    internal static void AddOperatorAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(OperatorAuth.Scheme)
            .AddCookie(OperatorAuth.Scheme, o =>
            {
                o.Strict("asp.ops", TimeSpan.FromHours(8), sliding: true, ApiCookieEvents(validateStamp: true));
                o.Cookie.Path = "/";
            })
            .AddCookie(OperatorAuth.SecondFactorScheme, o =>
            {
                o.Strict("asp.ops.2fa", TimeSpan.FromMinutes(5), sliding: false, ApiCookieEvents(validateStamp: false));
                // The API's sign-in steps and the console's sign-in page (/ops/sign-in) both read it (decision 0095).
                o.Cookie.Path = "/";
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorAuth.Policy, p => p.AddAuthenticationSchemes(OperatorAuth.Scheme).RequireAuthenticatedUser().RequireRole("Operator")
                .RequireAssertion(ctx => OperatorPasswordGateHandler.Allows(ctx.User, ctx.Resource)));
    }

    /// <summary>APIs answer 401/403 problems instead of redirecting to a login page.</summary>
    private static CookieAuthenticationEvents ApiCookieEvents(bool validateStamp) => new()
    {
        // A person's browser on an operator page outside /api/ (the jobs dashboard) is sent to the console's sign-in
        // or password page instead (decision 0095); API clients keep their problem+json.
        OnRedirectToLogin = ctx => OperatorConsoleRedirect.ToSignIn(ctx.HttpContext)
            ?? Problems.Of(StatusCodes.Status401Unauthorized, "unauthorized").ExecuteAsync(ctx.HttpContext),
        OnRedirectToAccessDenied = ctx => OperatorConsoleRedirect.ToPasswordChange(ctx.HttpContext)
            ?? Problems.Of(StatusCodes.Status403Forbidden,
                OperatorPasswordGateHandler.Pending(ctx.HttpContext.User) ? "password_change_required" : "forbidden").ExecuteAsync(ctx.HttpContext),
        OnValidatePrincipal = async ctx =>
        {
            if (!validateStamp)
            {
                return;
            }

            // A changed security stamp (password reset, MFA reset, disabled) ends existing sessions at once.
            var users = ctx.HttpContext.RequestServices.GetRequiredService<UserManager<OperatorUser>>();
            var id = ctx.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
            var user = id is null ? null : await users.FindByIdAsync(id);
            if (user is null || user.SecurityStamp != ctx.Principal!.FindFirstValue("stamp") || await users.IsLockedOutAsync(user))
            {
                ctx.RejectPrincipal();
            }
        },
    };
}
