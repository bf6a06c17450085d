using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using AspService.Data;
using AspService.Data.Catalog;
using AspService.Data.Identity;
using AspService.Data.TenantData;
using AspService.Server.Billing;
using AspService.Server.Consoles;
using AspService.Server.Health;
using AspService.Server.Identity;
using AspService.Server.Jobs;
using AspService.Server.Observability;
using AspService.Server.Relay;
using AspService.Server.Tenancy;
using AspService.Server.Tenancy.Provisioning;
using AspService.Server.Terminals;
using AspService.Server.Tokens;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Hosting;

public static class ServiceRegistration
{
    public static WebApplicationBuilder AddAspService(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Request lines carry query strings: invitation and reset tokens of page links, the user code of the
        // device verification link. Never logged, whatever Logging:LogLevel says for Microsoft.AspNetCore.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section)
            .Validate(o => { _ = o.ParsedRoles; return true; }, "Server:Roles is invalid").ValidateOnStart();
        services.AddOptions<TenancyOptions>().BindConfiguration(TenancyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.AddSingleton<PublicAddress>();
        services.AddHostedService<PublicAddressCheck>();
        services.AddHttpClient(nameof(PublicAddressCheck));

        // Options are read lazily (not at registration), so hosts and tests can override settings late.
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Provider == DatabaseProvider.Sqlite || (!string.IsNullOrWhiteSpace(o.Catalog) && !string.IsNullOrWhiteSpace(o.TenantServer)),
                "Database:Catalog and Database:TenantServer are required for SqlServer and PostgreSql")
            .ValidateOnStart()
            .PostConfigure<IHostEnvironment>((o, env) =>
            {
                o.DataRoot = Path.GetFullPath(o.DataRoot, env.ContentRootPath);
                Directory.CreateDirectory(o.DataRoot);
            });
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        services.AddSingleton<DatabaseProviders>();
        services.AddHostedService<CatalogMigrationService>();
        services.TryAddSingletonTimeProvider();

        services.AddDbContextFactory<CatalogDbContext>((sp, o) => sp.GetRequiredService<DatabaseProviders>().ConfigureCatalog(o));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContext());

        // Tenancy: the accessor is per scope; the tenant DbContext only exists once a tenant is resolved.
        services.AddScoped<TenantAccessor>();
        services.AddSingleton<TenantDbContextFactory>();
        services.AddScoped<TenantDbContext>(sp => sp.GetRequiredService<TenantDbContextFactory>().Create(sp.GetRequiredService<TenantAccessor>().Required));
        services.AddSingleton<TenantDatabases>();
        services.AddSingleton<TenantArchiveWriter>();
        services.AddSingleton<TenantWorkSignal>();
        services.AddSingleton<ITenantStep, CreateDatabaseStep>();
        services.AddSingleton<ITenantStep, MigrateDatabaseStep>();
        services.AddSingleton<ITenantStep, SeedDefaultsStep>();
        services.AddSingleton<ITenantStep, ExportArchiveStep>();
        services.AddSingleton<ITenantStep, DropDatabaseStep>();
        services.AddSingleton<TenantOperationRunner>();
        services.AddSingleton<TenantWorker>();
        services.AddScoped<TenantOnboarding>();
        services.AddScoped<TenantLifecycleActions>();
        services.AddScoped<Signups>();
        services.AddScoped<ApplicantMail>();
        services.AddSingleton<TenantMigrations>();
        foreach (var module in Modules.All)
        {
            module.Add(builder);
        }

        services.AddBilling();
        services.AddJobs();

        // Keys protect TOTP secrets and cookies; production points KeysPath at shared, backed-up storage.
        var dataProtection = services.AddDataProtection().SetApplicationName("AspService");
        if (KeyRingConfiguration.Load(builder.Configuration) is { } keyCertificate)
        {
            // Decryption needs the certificate at registration time (the options type is internal to ASP.NET Core).
            dataProtection.UnprotectKeysWithAnyCertificate(keyCertificate);
        }

        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, KeyRingConfiguration>();

        AddOperatorIdentity(services);
        services.AddTenantIdentity();
        services.AddTenantTokens();
        AddRateLimiting(services);

        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddProblemDetails();
        services.AddConsoles();
        // Binding failures throw in every environment, so BadRequestHandler answers them uniformly.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddRequestLocalization(o =>
        {
            var cultures = new[] { new CultureInfo("ja-JP"), new CultureInfo("en") };
            o.DefaultRequestCulture = new Microsoft.AspNetCore.Localization.RequestCulture("ja-JP");
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
        });
        services.AddOpenApi();
        services.AddAspServiceHealth();
        builder.AddAspServiceObservability();

        return builder;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
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
        services.AddScoped<OperatorAuth>();
        services.AddScoped<ChangeOperatorPassword>();
        services.AddSingleton<AccountRateLimiter>();
        services.AddSingleton<SignInFailureLimiter>();
        services.AddSingleton<KnownBrowser>();

        services.AddAuthentication(OperatorAuth.Scheme)
            .AddCookie(OperatorAuth.Scheme, o =>
            {
                o.Cookie.Name = "asp.ops";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.Path = "/";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events = ApiCookieEvents(validateStamp: true);
            })
            .AddCookie(OperatorAuth.SecondFactorScheme, o =>
            {
                o.Cookie.Name = "asp.ops.2fa";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // The API's sign-in steps and the console's sign-in page (/ops/sign-in) both read it (decision 0095).
                o.Cookie.Path = "/";
                o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
                o.SlidingExpiration = false;
                o.Events = ApiCookieEvents(validateStamp: false);
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorAuth.Policy, p => p.AddAuthenticationSchemes(OperatorAuth.Scheme).RequireAuthenticatedUser().RequireRole("Operator")
                .RequireAssertion(ctx => OperatorPasswordGate.Allows(ctx.User, ctx.Resource)));
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
                OperatorPasswordGate.Pending(ctx.HttpContext.User) ? "password_change_required" : "forbidden").ExecuteAsync(ctx.HttpContext),
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

    private static void AddRateLimiting(IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    ctx.HttpContext.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                await Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited").ExecuteAsync(ctx.HttpContext);
            };
            o.AddPolicy(RateLimitPolicies.Auth, http =>
            {
                // A tenant's own egress networks share the tenant's ceiling; any other address has its own.
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var (key, limit) = TenantEgress.FromEgress(http)
                    ? ("tenant:" + http.RequestServices.GetRequiredService<TenantAccessor>().Required.TenantId, limits.AuthPerTenantPerMinute)
                    : ("addr:" + ClientKey(http), limits.AuthPerClientPerMinute);
                return RateLimitPartition.GetFixedWindowLimiter(key,
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            o.AddPolicy(RateLimitPolicies.Signup, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.SignupsPerClientPerHour;
                return RateLimitPartition.GetFixedWindowLimiter(ClientKey(http),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromHours(1), QueueLimit = 0 });
            });
        });
    }

    private static string ClientKey(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "local";
}
