using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace AspService.Server.Observability;

/// <summary>
/// The management listener: a second, minimal Kestrel server of its own that serves only <c>/metrics</c> (Prometheus
/// text) from the service's meter provider. Being a separate server, metrics can never be reached on the public web
/// listener or the relay port, whatever those bind to (decision 0060).
/// </summary>
public sealed class MetricsListener(IOptions<ObservabilityOptions> options, MeterProvider meters, ServiceMetrics serviceMetrics,
    ILogger<MetricsListener> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The bound address (null while no listener is configured or started).</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Creating the instruments here means they exist from the first scrape on, whichever role runs.
        _ = serviceMetrics.Meter;
        var listen = options.Value.MetricsListen;
        if (string.IsNullOrWhiteSpace(listen))
        {
            return;
        }

        var uri = ObservabilityOptions.ListenUri(listen)!;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(MetricsListener).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (uri.Host == "localhost")
            {
                k.ListenLocalhost(uri.Port);
            }
            else
            {
                k.Listen(IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) ? address : IPAddress.Any, uri.Port);
            }
        });
        _app = builder.Build();
        _app.UseOpenTelemetryPrometheusScrapingEndpoint(meters, predicate: null, path: "/metrics", configureBranchedPipeline: null, optionsName: null);
        _app.Run(ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await _app.StartAsync(cancellationToken);
        var bound = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(bound);
        logger.LogInformation("Metrics listener on {Address}/metrics", bound);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
