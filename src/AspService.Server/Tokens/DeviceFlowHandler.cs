using AspService.Server.Hosting;
using System.Collections.Immutable;
using System.Security.Claims;
using AspService.Data.Identity;
using AspService.Server.Identity;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AspService.Server.Tokens;

/// <summary>
/// OpenIddict's pass-through parts of the device flow (its principals live in the request): what the approval page
/// (Pages/Tokens/Verify) shows and does for a signed-in user, and the token endpoint. The decisions are
/// <see cref="DeviceGrants"/>'s.
/// </summary>
public sealed class DeviceFlowHandler(
    DeviceGrants grants,
    IOpenIddictApplicationManager applications,
    IOpenIddictTokenManager tokens)
{
    /// <summary>A device sign-in waiting for this user's decision, as OpenIddict found its user code in this tenant.</summary>
    public sealed record DeviceRequest(
        string UserCode, string ClientId, string? ClientName, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt, ClaimsPrincipal Code);

    /// <summary>
    /// The pending request behind the user code of this verification request (query on GET, form on POST), or
    /// null when the code is unknown here, expired, or already approved or denied. Reading changes nothing.
    /// </summary>
    public async Task<DeviceRequest?> FindAsync(HttpContext http, string userCode)
    {
        ArgumentNullException.ThrowIfNull(http);
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
        if (!await grants.UsableAsync(user))
        {
            return false;
        }

        var principal = await PrincipalAsync(user, request.Code.GetScopes());
        await grants.ApprovedAsync(user, request.ClientId, HttpActor.Client(http), http.RequestAborted);
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

        await grants.DeniedAsync(user, request.ClientId, HttpActor.Client(http), http.RequestAborted);
    }

    /// <summary>Token endpoint: device-code and refresh-token grants; the user must still be allowed in.</summary>
    public async Task<IResult> TokenAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.GetOpenIddictServerRequest();
        if (request is null || !(request.IsDeviceCodeGrantType() || request.IsRefreshTokenGrantType()))
        {
            return Refuse(Errors.UnsupportedGrantType, TokenText.Get("grant_unsupported"));
        }

        var grant = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var user = grant is null ? null
            : await grants.GrantUserAsync(grant.GetClaim(Claims.Subject), grant.GetClaim(TokenFlows.TenantClaim), grant.GetClaim(TokenFlows.StampClaim));
        if (user is null)
        {
            return Refuse(Errors.InvalidGrant, TokenText.Get("account_unusable"));
        }

        return TypedResults.SignIn(await PrincipalAsync(user, grant!.GetScopes()),
            authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<ClaimsPrincipal> PrincipalAsync(TenantUser user, ImmutableArray<string> scopes)
    {
        var who = await grants.IdentityAsync(user);
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, who.Subject.ToString())
            .SetClaim(Claims.Name, who.Email)
            .SetClaim(Claims.Role, who.Role)
            .SetClaim(TokenFlows.TenantClaim, who.TenantId.ToString())
            .SetClaim(TokenFlows.StampClaim, who.Stamp);
        identity.SetScopes(scopes);
        // The stamp stays in the server-side grant (device code, refresh token) and never leaves in a token.
        identity.SetDestinations(c => c.Type switch
        {
            TokenFlows.StampClaim => [],
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
