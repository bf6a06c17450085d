using AspService.Data.TenantData;
using AspService.Server.Audit;
using Hangfire;

namespace AspService.Server.Jobs.Work;

/// <summary>Daily: one audit-chain verification job per live tenant.</summary>
public sealed class AuditSweepJob(JobRunner runner, IBackgroundJobClient jobs)
{
    public Task<string> RunAsync(CancellationToken ct) =>
        runner.RunRecurringAsync(RecurringJobs.AuditSweep, async (_, token) =>
        {
            var tenants = await runner.LiveTenantsAsync(token);
            foreach (var tenantId in tenants)
            {
                jobs.Enqueue<AuditVerifyJob>(j => j.RunAsync(tenantId, CancellationToken.None));
            }

            return $"{tenants.Count} tenants queued for audit verification";
        }, ct);
}

/// <summary>
/// Verifies one tenant's hash chain. A break is logged as an error with the tenant id and the row, counted,
/// and recorded in the jobs storage's list of broken chains (<see cref="JobRuns.BrokenAuditChains"/>) until a
/// later verification finds the chain whole.
/// </summary>
public sealed class AuditVerifyJob(JobRunner runner, JobRuns runs, JobMetrics metrics, ILogger<AuditVerifyJob> logger)
{
    public const string Kind = "audit-verify";

    [TenantJob]
    public Task<string> RunAsync(Guid tenantId, CancellationToken ct) =>
        runner.RunForTenantAsync(Kind, tenantId, async (services, token) =>
        {
            var result = await AuditLog.VerifyAsync(services.GetRequiredService<TenantDbContext>(), token);
            if (result.Break is { } broken)
            {
                logger.LogError("Audit chain of tenant {TenantId} is BROKEN at row {Sequence} ({BreakKind}); {Rows} rows intact before it",
                    tenantId, broken.Sequence, broken.Kind, result.Rows);
                metrics.BrokenChain();
                runs.SetAuditBreak(tenantId, $"{broken.Kind.ToString().ToLowerInvariant()} at row {broken.Sequence}");
                return $"BROKEN at row {broken.Sequence} ({broken.Kind})";
            }

            runs.SetAuditBreak(tenantId, null);
            return $"intact ({result.Rows} rows)";
        }, ct);
}
