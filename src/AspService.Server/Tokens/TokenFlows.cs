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
/// The pass-through parts of the device flow: what the approval page (Pages/Tokens/Verify) shows and does for
/// a signed-in user (password + TOTP, the tenant cookie), and the token endpoint, which re-checks the user on
/// every device-code and refresh-token redemption.
/// </summary>
public sealed class TokenFlows(
    UserManager<TenantUser> users,
    IOpenIddictApplicationManager applications,
    IOpenIddictTokenManager tokens,
    TenantAccessor tenant,
    AuditLog audit)
{
    public const string TenantClaim = "tid";
    private const string StampClaim = "stamp";

    /// <summary>A device sign-in waiting for this user's decision, as OpenIddict found its user code in this tenant.</summary>
    public sealed record DeviceRequest(
        string UserCode, string ClientId, string? ClientName, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt, ClaimsPrincipal Code);

    /// <summary>
    /// The pending request behind the user code of this verification request (query on GET, form on POST), or
    /// null when the code is unknown here, expired, or already approved or denied. Reading changes nothing.
    /// </summary>
    public async Task<DeviceRequest?> FindAsync(HttpContext http, string userCode)
    {
        var code = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (!code.Succeeded || code.Principal.GetClaim(Claims.ClientId) is not { } clientId)
        {
            return null;
        }

        var application = await applications.FindByClientIdAsync(clientId, http.RequestAborted);
        var name = application is null ? null : await applications.GetLocalizedDisplayNameAsync(application, http.RequestAborted);
        return new DeviceRequest(userCode, clientId, name, [.. code.Principal.GetScopes()], code.Principal.GetExpirationDate(), code.Principal);
    }

    /// <summary>Approve for the signed-in user: OpenIddict marks the device code valid and redeems the user code.</summary>
    public async Task<bool> ApproveAsync(HttpContext http, TenantUser user, DeviceRequest request)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        if (!await UsableAsync(user))
        {
            return false;
        }

        var principal = await PrincipalAsync(user, request.Code.GetScopes());
        await audit.WriteAsync(AuditActions.DeviceApproved, user.Id.ToString(), user.Id.ToString(), "client=" + request.ClientId,
            TenantSignIn.Client(http), http.RequestAborted);
        await http.SignInAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, principal);
        return true;
    }

    /// <summary>Deny: the agent's next poll gets access_denied, and the user code cannot be used again.</summary>
    public async Task DenyAsync(HttpContext http, TenantUser user, DeviceRequest request)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        foreach (var id in new[] { request.Code.GetClaim(Claims.Private.DeviceCodeId), request.Code.GetTokenId() })
        {
            if (id is not null && await tokens.FindByIdAsync(id, http.RequestAborted) is { } token)
            {
                await tokens.TryRejectAsync(token, http.RequestAborted);
            }
        }

        await audit.WriteAsync(AuditActions.DeviceDenied, user.Id.ToString(), user.Id.ToString(), "client=" + request.ClientId,
            TenantSignIn.Client(http), http.RequestAborted);
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
