namespace AspService.Server.Hosting;

/// <summary>
/// At start: says which public base URL links will use, warns about a missing or malformed one, and checks
/// that a configured one answers (<c>/healthz</c>), so a wrong address is found before the first invitation.
/// </summary>
public sealed class PublicAddressCheck(PublicAddress address, IHostEnvironment environment, IHostApplicationLifetime lifetime,
    IHttpClientFactory clients, ILogger<PublicAddressCheck> logger) : IHostedService
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var problem in PublicAddress.Problems(address.Configured, environment.IsDevelopment()))
            {
                logger.LogWarning("Public base URL: {Problem}", problem);
            }

            if (address.Configured is not null && PublicAddress.Problems(address.Configured, development: true).Count == 0)
            {
                _ = ProbeAsync(address.BaseUrl, lifetime.ApplicationStopping);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ProbeAsync(string baseUrl, CancellationToken stopping)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(ProbeTimeout);
            using var response = await clients.CreateClient(nameof(PublicAddressCheck)).GetAsync(new Uri(baseUrl + "/healthz"), timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Public base URL {Url} answers {Status} for /healthz: is it this service?", baseUrl, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !stopping.IsCancellationRequested)
        {
            logger.LogWarning("Public base URL {Url} is not reachable from this server: {Error}", baseUrl, ex.Message);
        }
    }
}
