using AspService.Data;
using AspService.Data.Catalog;
using AspService.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Tenancy.Provisioning;

/// <summary>
/// Finishes every provisioning and decommissioning the catalog says is unfinished, with bounded parallelism.
/// The catalog, not a queue, is the source of truth, so a restart resumes the work. Scheduled by the jobs
/// feature (<see cref="TenantOperationsJob"/>: recurring, and at once when work is queued).
/// </summary>
public sealed class TenantWorker(
    TenantOperationRunner runner,
    IDbContextFactory<CatalogDbContext> catalogs,
    DatabaseOptions database,
    ILogger<TenantWorker> logger) : IDisposable
{
    // Passes in one process run one after the other: a queued job and a direct call (tests, commands) must not
    // run the same tenant's steps side by side. Across processes the jobs feature's distributed lock does this.
    private readonly SemaphoreSlim _pass = new(1, 1);

    public void Dispose() => _pass.Dispose();

    /// <summary>
    /// One pass over all unfinished tenant operations. Returns how many completed. Waits for a pass already
    /// running in this process, so when it returns everything that was due at its start has been attempted.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await _pass.WaitAsync(ct);
        try
        {
            return await PassAsync(ct);
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<int> PassAsync(CancellationToken ct)
    {
        List<(Guid Id, TenantState State)> work;
        await using (var catalog = await catalogs.CreateDbContextAsync(ct))
        {
            work = (await catalog.Tenants.AsNoTracking()
                    .Where(t => t.State == TenantState.Provisioning || t.State == TenantState.Decommissioning)
                    .OrderBy(t => t.StateChangedAt)
                    .Select(t => new { t.Id, t.State })
                    .ToListAsync(ct))
                .Select(t => (t.Id, t.State)).ToList();
        }

        var completed = 0;
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = database.MaxParallelism, CancellationToken = ct },
            async (item, token) =>
            {
                var operation = item.State == TenantState.Provisioning ? TenantOperations.Provision : TenantOperations.Decommission;
                try
                {
                    if (await runner.RunAsync(item.Id, operation, token) == OperationOutcome.Completed)
                    {
                        Interlocked.Increment(ref completed);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One tenant's failure must not stop the others; the next pass retries it.
                    logger.LogError(ex, "Tenant {TenantId} {Operation} failed; will retry", item.Id, operation);
                }
            });
        return completed;
    }
}
