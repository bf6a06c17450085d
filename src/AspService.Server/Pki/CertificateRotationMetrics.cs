using System.Diagnostics.Metrics;
using AspService.Server.Jobs;

namespace AspService.Server.Pki;

/// <summary>The rotation's counters, one instance per host (the use case itself is per tenant scope).</summary>
public sealed class CertificateRotationMetrics(IMeterFactory meters)
{
    public Counter<long> DueForRenewal { get; } = meters.Create(JobMetrics.MeterName)
        .CreateCounter<long>("aspservice.certificates.due_for_renewal", description: "Terminal certificates found in their renewal window, not yet renewed");

    public Counter<long> ExpiredUnrenewed { get; } = meters.Create(JobMetrics.MeterName)
        .CreateCounter<long>("aspservice.certificates.expired_unrenewed", description: "Terminal certificates newly found expired without a renewal");
}
