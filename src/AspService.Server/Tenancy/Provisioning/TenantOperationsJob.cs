using AspService.Server.Jobs;

namespace AspService.Server.Tenancy.Provisioning;

/// <summary>
/// Provisioning and decommissioning: one pass of <see cref="TenantWorker.RunOnceAsync"/>, which resumes
/// every unfinished operation from the catalog's recorded steps, so a crashed run is completed by the next.
/// </summary>
public sealed class TenantOperationsJob(JobRunner runner, TenantWorker worker)
{
    public Task<string> RunAsync(CancellationToken ct) =>
        runner.RunRecurringAsync(RecurringJobs.TenantOperations, async (_, token) =>
        {
            var completed = await worker.RunOnceAsync(token);
            return $"{completed} tenant operations completed";
        }, ct);
}
