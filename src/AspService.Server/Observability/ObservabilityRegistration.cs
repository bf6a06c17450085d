using AspService.Server.Pki;
using AspService.Server.Relay;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AspService.Server.Observability;

/// <summary>
/// OpenTelemetry for every role: metrics always (served by <see cref="MetricsListener"/> when a management listener is
/// set), and traces, metrics and logs over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the
/// standard <c>OTEL_*</c> variables itself).
/// </summary>
public static class ObservabilityRegistration
{
    /// <summary>Npgsql's own ActivitySource and Meter (it needs no instrumentation package).</summary>
    private const string Npgsql = "Npgsql";

    public static WebApplicationBuilder AddAspServiceObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.Section)
            .Validate<IConfiguration>((o, config) => ObservabilityOptions.Problem(o.MetricsListen, config["urls"], RelayListen(config)) is null,
                "Observability:MetricsListen is invalid (an http URL with its own port, e.g. http://127.0.0.1:9464)")
            .ValidateOnStart();
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<SessionRefusalMetrics>();
        services.AddSingleton<MetricsListener>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsListener>());

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var serviceName = builder.Configuration[$"{ObservabilityOptions.Section}:{nameof(ObservabilityOptions.ServiceName)}"] ?? "aspservice";
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(ObservabilityRegistration).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddSqlClientInstrumentation()
                    .AddMeter(ServiceMetrics.MeterName, Npgsql)
                    .AddPrometheusExporter();
                if (otlp)
                {
                    m.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            // Traces only when they go somewhere: without an exporter they would cost every request for nothing.
            telemetry.WithTracing(t => t.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddSqlClientInstrumentation()
                    .AddEntityFrameworkCoreInstrumentation()
                    .AddSource(Npgsql)
                    .AddOtlpExporter())
                .WithLogging(l => l.AddOtlpExporter());
        }

        return builder;
    }

    private static string? RelayListen(IConfiguration config) =>
        config[$"{RelayOptions.Section}:{nameof(RelayOptions.Listen)}"] ?? new RelayOptions().Listen;
}
