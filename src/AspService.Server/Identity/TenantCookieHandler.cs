using System.Security.Claims;
using AspService.Data.Identity;
using AspService.Server.Hosting;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using static AspService.Server.Identity.TenantAuth;

namespace AspService.Server.Identity;

/// <summary>
/// Tenant browser sessions' cookies. Bound to the tenant three ways: the cookie name carries the tenant code, the
/// ticket is encrypted under a Data Protection purpose that includes the tenant id (another tenant cannot
/// even decrypt it), and the ticket's <c>tid</c> claim must equal the request's tenant.
/// </summary>
public static class TenantCookieHandler
{
    public static ClaimsPrincipal Principal(TenantUser user, string role, Guid tenantId)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(Scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Email ?? ""));
        identity.AddClaim(new Claim(ClaimTypes.Role, role));
        identity.AddClaim(new Claim(TenantClaim, tenantId.ToString()));
        identity.AddClaim(new Claim("amr", "mfa"));
        identity.AddClaim(new Claim(StampClaim, user.SecurityStamp ?? ""));
        return new ClaimsPrincipal(identity);
    }

    internal static void AddTenantAuthentication(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddAuthentication()
            .AddCookie(Scheme, o => o.Strict("asp.t", TimeSpan.FromHours(8), sliding: true, Events(validate: true)))
            .AddCookie(SecondFactorScheme, o => o.Strict("asp.t2fa", TimeSpan.FromMinutes(5), sliding: false, Events(validate: false)));
        foreach (var scheme in new[] { Scheme, SecondFactorScheme })
        {
            services.AddOptions<CookieAuthenticationOptions>(scheme).Configure<IDataProtectionProvider, IHttpContextAccessor>((o, dp, http) =>
            {
                o.CookieManager = new TenantCookieManager();
                o.TicketDataFormat = new TenantTicketFormat(dp, http, scheme);
            });
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(UserPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
                .RequireRole(TenantRoles.Admin, TenantRoles.Staff))
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(TenantRoles.Admin));
    }

    /// <summary>A session cookie as every sign-in cookie here is: HTTP-only, same-site strict, secure on HTTPS.</summary>
    internal static void Strict(this CookieAuthenticationOptions o, string name, TimeSpan lifetime, bool sliding, CookieAuthenticationEvents events)
    {
        o.Cookie.Name = name;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = lifetime;
        o.SlidingExpiration = sliding;
        o.Events = events;
    }

    private static CookieAuthenticationEvents Events(bool validate) => new()
    {
        OnRedirectToLogin = ctx => Problems.Of(StatusCodes.Status401Unauthorized, "unauthorized").ExecuteAsync(ctx.HttpContext),
        OnRedirectToAccessDenied = ctx => Problems.Of(StatusCodes.Status403Forbidden, "forbidden").ExecuteAsync(ctx.HttpContext),
        OnValidatePrincipal = async ctx =>
        {
            var tenant = ctx.HttpContext.RequestServices.GetRequiredService<TenantAccessor>().Tenant;
            if (tenant is null || ctx.Principal?.FindFirstValue(TenantClaim) != tenant.TenantId.ToString())
            {
                ctx.RejectPrincipal();
                return;
            }

            if (!validate)
            {
                return;
            }

            // Disabling, deleting, a role change or an MFA reset changes the stamp and ends sessions at once.
            var users = ctx.HttpContext.RequestServices.GetRequiredService<UserManager<TenantUser>>();
            var id = ctx.Principal.FindFirstValue(ClaimTypes.NameIdentifier);
            var user = id is null ? null : await users.FindByIdAsync(id);
            if (user is null || user.DisabledAt is not null || user.SecurityStamp != ctx.Principal.FindFirstValue(StampClaim)
                || await users.IsLockedOutAsync(user))
            {
                ctx.RejectPrincipal();
            }
        },
    };

    /// <summary>Cookie name <c>{name}.{code}</c>; outside a tenant there is no tenant cookie at all.</summary>
    private sealed class TenantCookieManager : ICookieManager
    {
        private readonly ChunkingCookieManager _inner = new();

        public string? GetRequestCookie(HttpContext context, string key) =>
            Name(context, key) is { } name ? _inner.GetRequestCookie(context, name) : null;

        public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options)
        {
            if (Name(context, key) is { } name)
            {
                _inner.AppendResponseCookie(context, name, value, options);
            }
        }

        public void DeleteCookie(HttpContext context, string key, CookieOptions options)
        {
            if (Name(context, key) is { } name)
            {
                _inner.DeleteCookie(context, name, options);
            }
        }

        private static string? Name(HttpContext context, string key) =>
            context.RequestServices.GetService<TenantAccessor>()?.Tenant is { } t ? key + "." + t.Code : null;
    }

    /// <summary>Encrypts tickets under a purpose that names the tenant: tenant B cannot read tenant A's ticket.</summary>
    private sealed class TenantTicketFormat(IDataProtectionProvider provider, IHttpContextAccessor http, string scheme)
        : ISecureDataFormat<AuthenticationTicket>
    {
        public string Protect(AuthenticationTicket data) => Protect(data, null);

        public string Protect(AuthenticationTicket data, string? purpose)
        {
            var protector = Protector(purpose) ?? throw new InvalidOperationException("tenant cookie outside a tenant");
            return Base64UrlTextEncoder.Encode(protector.Protect(TicketSerializer.Default.Serialize(data)));
        }

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            var protector = Protector(purpose);
            if (protector is null || string.IsNullOrEmpty(protectedText))
            {
                return null;
            }

            try
            {
                return TicketSerializer.Default.Deserialize(protector.Unprotect(Base64UrlTextEncoder.Decode(protectedText)));
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException)
            {
                return null;
            }
        }

        private IDataProtector? Protector(string? purpose)
        {
            var tenant = http.HttpContext?.RequestServices.GetService<TenantAccessor>()?.Tenant;
            if (tenant is null)
            {
                return null;
            }

            var protector = provider.CreateProtector("AspService.Tenant.Cookie.v1", scheme, tenant.TenantId.ToString());
            return purpose is null ? protector : protector.CreateProtector(purpose);
        }
    }
}
