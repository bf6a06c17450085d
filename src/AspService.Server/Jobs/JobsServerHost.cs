using AspService.Server.Hosting;
using AspService.Server.Jobs.Work;
using AspService.Server.Pki;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Options;
using AspService.Common;

namespace AspService.Server.Jobs;

/// <summary>
/// Jobs role only: registers the recurring jobs (one per kind), starts the Hangfire server and, because the
/// database and not the queue is the source of truth, queues a catch-up run of the kinds whose work may be
/// overdue (missed month closes, unfinished provisioning) every time the role comes up.
/// </summary>
public sealed class JobsServerHost(
    IServiceProvider services,
    IOptions<JobsOptions> options,
    IOptions<ServerOptions> server,
    ILogger<JobsServerHost> logger) : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!server.Value.ParsedRoles.HasFlag(ServerRoles.Jobs))
        {
            return Task.CompletedTask;
        }

        // Resolved only here: other roles never open the storage at start (a web node may start before it is reachable).
        var storage = services.GetRequiredService<JobStorage>();
        var recurring = services.GetRequiredService<IRecurringJobManager>();
        var jobs = services.GetRequiredService<IBackgroundJobClient>();
        services.GetRequiredService<JobRuns>();
        var o = options.Value;
        var schedule = new RecurringJobOptions { TimeZone = Jst.SchedulerZone };
        var definitions = services.GetServices<RecurringJobDefinition>().ToList();
        foreach (var definition in definitions)
        {
            definition.AddOrUpdate(recurring, o, schedule);
        }

        recurring.AddOrUpdate<ReapingJob>(RecurringJobs.Reaping.Id, j => j.RunAsync(CancellationToken.None), o.ReapingCron, schedule);
        recurring.AddOrUpdate<AuditSweepJob>(RecurringJobs.AuditSweep.Id, j => j.RunAsync(CancellationToken.None), o.AuditSweepCron, schedule);
        recurring.AddOrUpdate<CertificateRotationJob>(RecurringJobs.CertificateRotation.Id, j => j.RunAsync(CancellationToken.None), o.CertificateRotationCron, schedule);

        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = o.WorkerCount,
                ServerName = Environment.MachineName + ":" + Environment.ProcessId,
                FilterProvider = services.GetRequiredService<IJobFilterProvider>(),
                Activator = services.GetRequiredService<JobActivator>(),
                TimeZoneResolver = new DefaultTimeZoneResolver(),
            },
            storage);

        foreach (var definition in definitions.Where(d => d.CatchUpOnStart))
        {
            definition.Enqueue(jobs);
        }

        logger.LogInformation("Jobs role started: {Workers} workers, {Kinds} recurring kinds", o.WorkerCount, RecurringJobs.All.Count);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return;
        }

        _server.SendStop();
        await _server.WaitForShutdownAsync(cancellationToken);
    }

    public void Dispose() => _server?.Dispose();
}
