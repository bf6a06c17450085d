using AspService.Server.Jobs;
using Hangfire;

namespace AspService.Server.Pki;

/// <summary>Daily: one certificate-rotation job per live tenant (decision 0053).</summary>
public sealed class CertificateRotationJob(JobRunner runner, IBackgroundJobClient jobs)
{
    public Task<string> RunAsync(CancellationToken ct) =>
        runner.RunRecurringAsync(RecurringJobs.CertificateRotation, async (_, token) =>
        {
            var tenants = await runner.LiveTenantsAsync(token);
            foreach (var tenantId in tenants)
            {
                jobs.Enqueue<TenantCertificateRotationJob>(j => j.RunAsync(tenantId, CancellationToken.None));
            }

            return $"{tenants.Count} tenants queued for certificate rotation";
        }, ct);
}
