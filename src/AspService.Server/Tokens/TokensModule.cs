using AspService.Data.TenantData;
using AspService.Server.Hosting;
using AspService.Server.Tenancy;
using AspService.Server.Tenancy.Provisioning;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AspService.Server.Tokens;

/// <summary>
/// OpenIddict inside each tenant: the stores sit on the request's scoped <see cref="TenantDbContext"/> (so
/// applications and tokens are per tenant), no issuer is configured (OpenIddict takes the request's base
/// URI, <c>https://host/t/{code}/</c>, so each tenant is its own issuer), and the endpoint URIs are relative
/// to that base. The device authorization grant signs the command-line agent in through the browser.
/// </summary>
public sealed class TokensModule : IModule
{
    public const string Policy = "TenantToken";
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(14);

    public void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<TenantDbContext>().ReplaceDefaultEntities<Guid>())
            .AddServer(o =>
            {
                o.SetTokenEndpointUris(TokenEndpoints.Token)
                    .SetDeviceAuthorizationEndpointUris(TokenEndpoints.Device)
                    .SetEndUserVerificationEndpointUris(TokenEndpoints.Verify)
                    .SetConfigurationEndpointUris(TokenEndpoints.Configuration)
                    .SetJsonWebKeySetEndpointUris(TokenEndpoints.Keys);
                o.AllowDeviceAuthorizationFlow().AllowRefreshTokenFlow();
                o.AddEventHandler(UserCodeReplayHandler.Descriptor);
                o.RegisterScopes(Scopes.OpenId, Scopes.OfflineAccess, Scopes.Profile, Scopes.Roles);
                o.SetAccessTokenLifetime(AccessTokenLifetime)
                    .SetRefreshTokenLifetime(RefreshTokenLifetime)
                    .SetDeviceCodeLifetime(TimeSpan.FromMinutes(10))
                    .SetUserCodeLifetime(TimeSpan.FromMinutes(10));
                // HTTPS is enforced by LoopbackOrHttpsMiddleware instead: it also lets the embedded default serve agents on this machine.
                o.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.UseAspNetCore();
                // Every access token is looked up in the tenant's database: revoked tokens die at once, and
                // another tenant's token is simply not there.
                o.EnableTokenEntryValidation();
            });
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, TokenKeys>();
        services.AddScoped<UserTokenRevocation>();
        services.AddScoped<DeviceGrants>();
        services.AddScoped<DeviceFlowHandler>();
        services.AddSingleton<ITenantStep, RegisterOidcClientsStep>();

        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p
            .AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(ctx => ctx.Resource is HttpContext http
                && http.RequestServices.GetRequiredService<TenantAccessor>().Tenant is { } tenant
                && ctx.User.FindFirst(TokenFlows.TenantClaim)?.Value == tenant.TenantId.ToString()));
    }

    public void MapWeb(IEndpointRouteBuilder app) => app.MapTenantTokenEndpoints();
}
