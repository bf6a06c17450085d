using System.Diagnostics.Metrics;

namespace AspService.Server.Jobs;

/// <summary>Counters of finished jobs and the age of each recurring kind's last success.</summary>
public sealed class JobMetrics : IDisposable
{
    public const string MeterName = Observability.ServiceMetrics.MeterName;
    private readonly Meter _meter;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _brokenChains;
    private int _staleProvisioning;

    public JobMetrics(IMeterFactory meters, JobRuns runs)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(runs);
        _meter = meters.Create(MeterName);
        _succeeded = _meter.CreateCounter<long>("aspservice.jobs.succeeded", description: "Jobs that finished successfully");
        _failed = _meter.CreateCounter<long>("aspservice.jobs.failed", description: "Job runs that failed (retried or permanent)");
        _brokenChains = _meter.CreateCounter<long>("aspservice.audit.broken_chains", description: "Tenants found with a broken audit chain");
        _meter.CreateObservableGauge("aspservice.jobs.seconds_since_success",
            () => RecurringJobs.All.Select(k => new Measurement<double>(runs.Age(k.Id).TotalSeconds, new KeyValuePair<string, object?>("kind", k.Id))),
            unit: "s", description: "Time since the last successful run of each recurring job");
        _meter.CreateObservableGauge("aspservice.audit.broken_tenants", () => runs.BrokenAuditChains().Count,
            description: "Tenants whose last audit-chain verification found a break");
        _meter.CreateObservableGauge("aspservice.tenants.stale_provisioning", () => Volatile.Read(ref _staleProvisioning),
            description: "Tenants whose provisioning is unfinished for too long (last reaping run)");
    }

    public void Succeeded(string kind) => _succeeded.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Failed(string kind, bool permanent) =>
        _failed.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("permanent", permanent));

    public void BrokenChain() => _brokenChains.Add(1);

    public void StaleProvisioning(int count) => Volatile.Write(ref _staleProvisioning, count);

    public void Dispose() => _meter.Dispose();
}
