using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Tenancy;

/// <summary>
/// migrate-all: brings every tenant database to the current schema with bounded parallelism and records
/// each tenant's outcome in the catalog. Never done lazily on a request.
/// </summary>
public sealed class TenantMigrations(
    IDbContextFactory<CatalogDbContext> catalogs,
    TenantDatabases databases,
    Provisioning.TenantOperationRunner runner,
    Data.DatabaseOptions options,
    TimeProvider time)
{
    public sealed record Outcome(string Code, string Name, string? SchemaVersion, string? Error, IReadOnlyList<string>? CaughtUp = null);

    public async Task<IReadOnlyList<Outcome>> MigrateAllAsync(int? parallelism, Action<int, int, Outcome>? progress, CancellationToken ct)
    {
        List<Tenant> tenants;
        await using (var catalog = await catalogs.CreateDbContextAsync(ct))
        {
            // Provisioning tenants are migrated by their own provisioning step.
            tenants = await catalog.Tenants.AsNoTracking()
                .Where(t => t.State == TenantState.Active || t.State == TenantState.Suspended || t.State == TenantState.Decommissioning)
                .OrderBy(t => t.Code).ToListAsync(ct);
        }

        var results = new System.Collections.Concurrent.ConcurrentBag<Outcome>();
        var done = 0;
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? options.MaxParallelism, CancellationToken = ct },
            async (tenant, token) =>
            {
                Outcome outcome;
                try
                {
                    if (!await databases.ExistsAsync(tenant.DatabaseName, token))
                    {
                        // Dropped after decommissioning: nothing to migrate.
                        outcome = new Outcome(tenant.Code, tenant.Name, tenant.SchemaVersion, null);
                    }
                    else
                    {
                        var version = await databases.MigrateAsync(new TenantBinding(tenant.Id, tenant.Code, tenant.DatabaseName), token);
                        // Provisioning steps added by newer features run for existing tenants too.
                        var caughtUp = await runner.CatchUpAsync(tenant.Id, token);
                        outcome = new Outcome(tenant.Code, tenant.Name, version, null, caughtUp);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    outcome = new Outcome(tenant.Code, tenant.Name, null, ex.GetType().Name + ": " + ex.Message);
                }

                await RecordAsync(tenant.Id, outcome, token);
                results.Add(outcome);
                progress?.Invoke(Interlocked.Increment(ref done), tenants.Count, outcome);
            });
        return [.. results.OrderBy(r => r.Code, StringComparer.Ordinal)];
    }

    private async Task RecordAsync(Guid tenantId, Outcome outcome, CancellationToken ct)
    {
        await using var catalog = await catalogs.CreateDbContextAsync(ct);
        var tenant = await catalog.Tenants.SingleAsync(t => t.Id == tenantId, ct);
        if (outcome.Error is null)
        {
            tenant.SchemaVersion = outcome.SchemaVersion;
            tenant.MigratedAt = time.GetUtcNow();
            tenant.MigrationError = null;
        }
        else
        {
            tenant.MigrationError = outcome.Error.Length > 2000 ? outcome.Error[..2000] : outcome.Error;
        }

        await catalog.SaveChangesAsync(ct);
    }
}
