using Hangfire;

namespace AspService.Server.Tenancy.Provisioning;

/// <summary>Queues an immediate tenant-operations run whenever this process records new tenant work.</summary>
internal sealed class TenantWorkEnqueuer(TenantWorkSignal signal, IServiceProvider services, ILogger<TenantWorkEnqueuer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        signal.Notified += OnNotified;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        signal.Notified -= OnNotified;
        return Task.CompletedTask;
    }

    private void OnNotified()
    {
        try
        {
            services.GetRequiredService<IBackgroundJobClient>().Enqueue<TenantOperationsJob>(j => j.RunAsync(CancellationToken.None));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The recurring run picks the work up within its period; the request that queued it must not fail.
            logger.LogWarning(ex, "Could not queue an immediate tenant-operations run");
        }
    }
}
