using AspService.Data;
using AspService.Data.Catalog;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace AspService.Server.Health;

public static class HealthEndpoints
{
    public static IServiceCollection AddAspServiceHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<CatalogHealthCheck>("catalog", tags: ["ready"])
            .AddCheck<TenantServerHealthCheck>("tenant-server", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" })).WithTags("Health").ExcludeFromDescription();
        app.MapHealthChecks("/readyz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsJsonAsync(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
                });
            },
        });
        return app;
    }
}

internal sealed class CatalogHealthCheck(IDbContextFactory<CatalogDbContext> catalogs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await catalogs.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("catalog database unreachable");
    }
}

internal sealed class TenantServerHealthCheck(DatabaseProviders providers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (providers.Provider == DatabaseProvider.Sqlite)
        {
            var folder = Path.Combine(providers.DataRoot, "tenants");
            return Directory.Exists(folder) || Directory.Exists(providers.DataRoot)
                ? HealthCheckResult.Healthy("sqlite files")
                : HealthCheckResult.Unhealthy("data folder missing");
        }

        try
        {
            await using System.Data.Common.DbConnection conn = providers.Provider == DatabaseProvider.PostgreSql
                ? new NpgsqlConnection(providers.ServerAdminConnectionString())
                : new SqlConnection(providers.ServerAdminConnectionString());
            await conn.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or SqlException or TimeoutException or InvalidOperationException)
        {
            // The message can carry host names but never credentials; keep only the type.
            return HealthCheckResult.Unhealthy("tenant database server unreachable: " + ex.GetType().Name);
        }
    }
}
