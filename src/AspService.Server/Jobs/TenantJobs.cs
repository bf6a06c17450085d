using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Tenancy;
using AspService.Tenancy;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Jobs;

/// <summary>
/// Marks a job method that touches one tenant's data. It must take the tenant as a <c>Guid tenantId</c>
/// argument; <see cref="TenantJobFilter"/> refuses to create or run it without one.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TenantJobAttribute : Attribute
{
    public const string ArgumentName = "tenantId";
}

/// <summary>A job that must not be retried: retrying cannot fix it (configuration, missing tenant argument).</summary>
public sealed class PermanentJobException(string message) : Exception(message)
{
    public PermanentJobException()
        : this("permanent job failure")
    {
    }

    public PermanentJobException(string message, Exception inner)
        : this(message + ": " + inner?.Message)
    {
    }
}

/// <summary>
/// Runs job bodies. A tenant body gets the per-tenant lock (kind + tenant), a DI scope bound to the tenant
/// from the catalog (TenantAccessor set before anything is resolved) and resolves services from that scope
/// only. A recurring body gets its kind's lock and records its success. Both log tenant id and outcome.
/// </summary>
public sealed class JobRunner(
    IServiceScopeFactory scopes,
    IDbContextFactory<CatalogDbContext> catalogs,
    JobLocks locks,
    JobRuns runs,
    JobMetrics metrics,
    ILogger<JobRunner> logger)
{
    public async Task<string> RunRecurringAsync(RecurringKind kind, Func<IServiceProvider, CancellationToken, Task<string>> body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(body);
        using var held = locks.TryAcquire(kind.Id);
        if (held is null)
        {
            logger.LogInformation("Job {Kind} skipped: another run holds its lock", kind.Id);
            return "skipped: another run is in progress";
        }

        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var outcome = await body(scope.ServiceProvider, ct);
            runs.RecordSuccess(kind.Id);
            metrics.Succeeded(kind.Id);
            logger.LogInformation("Job {Kind} succeeded: {Outcome}", kind.Id, outcome);
            return outcome;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Job {Kind} failed", kind.Id);
            throw;
        }
    }

    /// <summary>Tenants whose database exists and is in use: the ones recurring work fans out to.</summary>
    public async Task<IReadOnlyList<Guid>> LiveTenantsAsync(CancellationToken ct)
    {
        await using var catalog = await catalogs.CreateDbContextAsync(ct);
        return await catalog.Tenants.AsNoTracking()
            .Where(t => t.State == TenantState.Active || t.State == TenantState.Suspended)
            .OrderBy(t => t.Code).Select(t => t.Id).ToListAsync(ct);
    }

    /// <summary>
    /// Runs <paramref name="body"/> in the tenant's scope under a lock on (<paramref name="kind"/>, tenant,
    /// <paramref name="unit"/>); a run that finds the lock held is skipped, since another run is doing that same work.
    /// <paramref name="unit"/> narrows the work where one kind has several independent pieces per tenant (a usage
    /// report per month): without it, the reports of four missed months queued together skipped each other and were
    /// lost until the next month.
    /// </summary>
    public async Task<string> RunForTenantAsync(string kind, Guid tenantId, Func<IServiceProvider, CancellationToken, Task<string>> body, CancellationToken ct,
        string? unit = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (tenantId == Guid.Empty)
        {
            throw new PermanentJobException($"{kind} needs a tenant id");
        }

        using var held = locks.TryAcquire(unit is null ? $"{kind}:{tenantId:N}" : $"{kind}:{tenantId:N}:{unit}");
        if (held is null)
        {
            logger.LogInformation("Job {Kind} for tenant {TenantId} skipped: another run holds its lock", kind, tenantId);
            return "skipped: another run is working on this tenant";
        }

        TenantBinding? binding;
        await using (var catalog = await catalogs.CreateDbContextAsync(ct))
        {
            binding = await catalog.Tenants.AsNoTracking()
                .Where(t => t.Id == tenantId && (t.State == TenantState.Active || t.State == TenantState.Suspended))
                .Select(t => new TenantBinding(t.Id, t.Code, t.DatabaseName)).SingleOrDefaultAsync(ct);
        }

        if (binding is null)
        {
            // Decommissioned or deleted since the fan-out: nothing to do, and not an error.
            logger.LogInformation("Job {Kind} for tenant {TenantId} skipped: tenant not live", kind, tenantId);
            return "skipped: tenant not live";
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(binding);
        try
        {
            var outcome = await body(scope.ServiceProvider, ct);
            metrics.Succeeded(kind);
            logger.LogInformation("Job {Kind} for tenant {TenantId} succeeded: {Outcome}", kind, tenantId, outcome);
            return outcome;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Job {Kind} for tenant {TenantId} failed", kind, tenantId);
            throw;
        }
    }
}

/// <summary>Distributed locks in the Hangfire storage, so they hold across every jobs process.</summary>
public sealed class JobLocks(JobStorage storage, IOptions<JobsOptions> options)
{
    /// <summary>The held lock, or null when another run holds it past the configured wait.</summary>
    public IDisposable? TryAcquire(string resource)
    {
        var connection = storage.GetConnection();
        try
        {
            var handle = connection.AcquireDistributedLock("aspsvc:" + resource, options.Value.LockWait);
            return new Held(connection, handle);
        }
        catch (DistributedLockTimeoutException)
        {
            connection.Dispose();
            return null;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed class Held(IStorageConnection connection, IDisposable handle) : IDisposable
    {
        public void Dispose()
        {
            handle.Dispose();
            connection.Dispose();
        }
    }
}
