using System.Globalization;
using System.Threading.RateLimiting;
using AspService.Data;
using AspService.Data.Catalog;
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
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
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

        foreach (var module in Modules.All)
        {
            module.Add(builder);
        }

        services.AddJobs();

        // Keys protect TOTP secrets and cookies; production points KeysPath at shared, backed-up storage.
        var dataProtection = services.AddDataProtection().SetApplicationName("AspService");
        if (KeyRingConfiguration.Load(builder.Configuration) is { } keyCertificate)
        {
            // Decryption needs the certificate at registration time (the options type is internal to ASP.NET Core).
            dataProtection.UnprotectKeysWithAnyCertificate(keyCertificate);
        }

        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, KeyRingConfiguration>();

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
