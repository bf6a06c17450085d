using System.Collections.Immutable;
using System.Security.Claims;
using AspService.Data.Identity;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AspService.Server.Tokens;

/// <summary>
/// The pass-through parts of the device flow: the browser page where a signed-in user (password + TOTP,
/// the tenant cookie) approves a user code, and the token endpoint, which re-checks the user on every
/// device-code and refresh-token redemption.
/// </summary>
public sealed class TokenFlows(
    UserManager<TenantUser> users,
    IOpenIddictApplicationManager applications,
    TenantAccessor tenant,
    AuditLog audit)
{
    public const string TenantClaim = "tid";
    private const string StampClaim = "stamp";

    public sealed record VerificationView(string UserCode, string ClientId, string? ClientName, IReadOnlyList<string> Scopes, string User);

    /// <summary>GET: what the signed-in user is about to approve.</summary>
    public async Task<IResult> ShowAsync(HttpContext http)
    {
        var (pending, problem) = await PendingAsync(http);
        if (pending is not { } p)
        {
            return problem!;
        }

        var application = await applications.FindByClientIdAsync(p.ClientId, http.RequestAborted);
        var name = application is null ? null : await applications.GetLocalizedDisplayNameAsync(application, http.RequestAborted);
        return TypedResults.Ok(new VerificationView(http.GetOpenIddictServerRequest()?.UserCode ?? "", p.ClientId, name,
            [.. p.Code.GetScopes()], p.User.Email ?? ""));
    }

    /// <summary>POST (form field <c>user_code</c>): approve the device for the signed-in user.</summary>
    public async Task<IResult> ApproveAsync(HttpContext http)
    {
        var (pending, problem) = await PendingAsync(http);
        if (pending is not { } p)
        {
            return problem!;
        }

        var principal = await PrincipalAsync(p.User, p.Code.GetScopes());
        await audit.WriteAsync(AuditActions.DeviceApproved, p.User.Id.ToString(), p.User.Id.ToString(), "client=" + p.ClientId,
            TenantSignIn.Client(http), http.RequestAborted);
        return TypedResults.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Token endpoint: device-code and refresh-token grants; the user must still be allowed in.</summary>
    public async Task<IResult> TokenAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest();
        if (request is null || !(request.IsDeviceCodeGrantType() || request.IsRefreshTokenGrantType()))
        {
            return Refuse(Errors.UnsupportedGrantType, TokenText.Get("grant_unsupported"));
        }

        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var grant = result.Principal;
        var subject = grant?.GetClaim(Claims.Subject);
        var user = subject is null ? null : await users.FindByIdAsync(subject);
        // The stamp changes on disable, delete, role change, MFA and password reset: such a grant ends here
        // even before the revocation has been written.
        if (grant is null || user is null || grant.GetClaim(TenantClaim) != tenant.Required.TenantId.ToString()
            || grant.GetClaim(StampClaim) != user.SecurityStamp || !await UsableAsync(user))
        {
            return Refuse(Errors.InvalidGrant, TokenText.Get("account_unusable"));
        }

        return TypedResults.SignIn(await PrincipalAsync(user, grant.GetScopes()),
            authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public static IResult WhoAmI(HttpContext http) => TypedResults.Ok(new
    {
        id = http.User.GetClaim(Claims.Subject),
        email = http.User.GetClaim(Claims.Name),
        role = http.User.GetClaim(Claims.Role),
        tenant = http.RequestServices.GetRequiredService<TenantAccessor>().Required.Code,
    });

    private readonly record struct Pending(TenantUser User, ClaimsPrincipal Code, string ClientId);

    /// <summary>The signed-in user and the user code they are looking at, or the problem why not.</summary>
    private async Task<(Pending? Pending, IResult? Problem)> PendingAsync(HttpContext http)
    {
        // The tenant cookie (bound to this tenant, stamp-checked) is what proves password + TOTP.
        var cookie = await http.AuthenticateAsync(TenantAuth.Scheme);
        var user = cookie.Succeeded ? await users.GetUserAsync(cookie.Principal) : null;
        if (user is null || !await UsableAsync(user))
        {
            return (null, Problems.Titled(StatusCodes.Status401Unauthorized, "sign-in-required", TokenText.Get("sign_in_required")));
        }

        // OpenIddict has already looked the user code up in this tenant's database.
        var code = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        return code.Succeeded && code.Principal.GetClaim(Claims.ClientId) is { } clientId
            ? (new Pending(user, code.Principal, clientId), null)
            : (null, Problems.Titled(StatusCodes.Status400BadRequest, "user-code-invalid", TokenText.Get("user_code_invalid")));
    }

    private async Task<bool> UsableAsync(TenantUser user) =>
        user.DisabledAt is null && user.DeletedAt is null && user.TwoFactorEnabled && !await users.IsLockedOutAsync(user);

    private async Task<ClaimsPrincipal> PrincipalAsync(TenantUser user, ImmutableArray<string> scopes)
    {
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? TenantRoles.Staff;
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Name, user.Email)
            .SetClaim(Claims.Role, role)
            .SetClaim(TenantClaim, tenant.Required.TenantId.ToString())
            .SetClaim(StampClaim, user.SecurityStamp);
        identity.SetScopes(scopes);
        // The stamp stays in the server-side grant (device code, refresh token) and never leaves in a token.
        identity.SetDestinations(c => c.Type switch
        {
            StampClaim => [],
            Claims.Name or Claims.Role => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return new ClaimsPrincipal(identity);
    }

    private static ForbidHttpResult Refuse(string error, string description) => TypedResults.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
