using AspService.Data.Catalog;
using AspService.Data.Identity;
using AspService.Data.TenantData;
using AspService.Server.Hosting;
using AspService.Server.Tenancy.Provisioning;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Identity;

/// <summary>
/// Operator and tenant accounts: sign-in (password + TOTP), their cookies and rate limits, the tenant admin's user
/// management and staff import, and the first admin's invitation when a tenant is provisioned.
/// </summary>
public sealed class IdentityModule : IModule
{
    public void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateOnStart();
        AddOperatorIdentity(services);
        AddTenantIdentity(services);
        services.AddAuthRateLimit();
    }

    public void MapWeb(IEndpointRouteBuilder app)
    {
        app.MapOperatorAuthEndpoints();
        app.MapTenantIdentityEndpoints();
    }

    private static void AddOperatorIdentity(IServiceCollection services)
    {
        // The same rules as for tenant users (12 characters, no common password), replacing Identity's composition rules.
        services.AddScoped<IPasswordValidator<OperatorUser>, RulesPasswordValidator<OperatorUser>>();
        services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddIdentityCore<OperatorUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<CatalogDbContext>()
            .AddDefaultTokenProviders();
        services.AddScoped<OperatorSignInFlow>();
        services.AddScoped<ChangeOperatorPassword>();
        services.AddSingleton<AccountRateLimiter>();
        services.AddSingleton<SignInFailureLimiter>();
        services.AddSingleton<KnownBrowser>();
        services.AddOperatorAuthentication();
    }

    /// <summary>
    /// Tenant accounts: a second Identity registration whose stores sit on the request's scoped
    /// <see cref="TenantDbContext"/> (itself bound to the resolved tenant), so each request's UserManager
    /// can only ever see its own tenant's users. No container per tenant. Operator Identity is untouched.
    /// </summary>
    private static void AddTenantIdentity(IServiceCollection services)
    {
        services.AddOptions<TenantIdentityOptions>().BindConfiguration(TenantIdentityOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // Registered before AddIdentityCore so it replaces (TryAdd) the composition-rule validator for tenant users only.
        services.AddScoped<IPasswordValidator<TenantUser>, RulesPasswordValidator<TenantUser>>();
        services.AddIdentityCore<TenantUser>()
            .AddRoles<TenantRole>()
            .AddEntityFrameworkStores<TenantDbContext>();

        services.AddScoped<TenantLinks>();
        services.AddScoped<TotpKeys>();
        services.AddScoped<TenantSignInFlow>();
        services.AddScoped<Reauthentication>();
        services.AddScoped<ChangeOwnPassword>();
        services.AddScoped<PendingTotpKeys>();
        services.AddScoped<BeginTotpReenrolment>();
        services.AddScoped<ConfirmTotpReenrolment>();
        services.AddScoped<RenewRecoveryCodes>();
        services.AddScoped<TenantUsersAdmin>();
        services.AddScoped<StaffImport>();
        services.AddSingleton<ITenantStep, InviteFirstAdminStep>();
        services.AddTenantAuthentication();
        // OpenIddict logs protocol parameters (device and user codes) at Information: scrubbed at the source.
        services.AddSingleton<ILogger<OpenIddict.Server.OpenIddictServerDispatcher>, ScrubbedLogger<OpenIddict.Server.OpenIddictServerDispatcher>>();
        services.AddSingleton<ILogger<OpenIddict.Validation.OpenIddictValidationDispatcher>, ScrubbedLogger<OpenIddict.Validation.OpenIddictValidationDispatcher>>();
    }
}
