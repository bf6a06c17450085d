using AspService.Server.Jobs;

namespace AspService.Server.Pki;

/// <summary>One tenant's certificate housekeeping as a job: runs <see cref="CertificateRotation"/> in the tenant's scope.</summary>
public sealed class TenantCertificateRotationJob(JobRunner runner)
{
    public const string Kind = "certificate-rotation-tenant";

    [TenantJob]
    public Task<string> RunAsync(Guid tenantId, CancellationToken ct) =>
        runner.RunForTenantAsync(Kind, tenantId, async (services, token) =>
        {
            var result = await services.GetRequiredService<CertificateRotation>().RunAsync(token);
            return $"{result.DueForRenewal} due for renewal; {result.NewlyExpired} newly expired unrenewed; "
                + (result.CaRolledOver ? "CA rolled over" : "CA current");
        }, ct);
}
