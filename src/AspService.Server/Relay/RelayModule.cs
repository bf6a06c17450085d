using AspService.Server.Hosting;
using AspService.Server.Observability;

namespace AspService.Server.Relay;

/// <summary>The relay role: node registry, control connections, broker, pairing and piping, and its housekeeping.</summary>
public sealed class RelayModule : IModule
{
    public void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProxyProtocolOptions>().BindConfiguration(ProxyProtocolOptions.Section)
            .Validate(o => o.TrustedProxies.All(e => System.Net.IPAddress.TryParse(e.Trim(), out _) || System.Net.IPNetwork.TryParse(e.Trim(), out _)),
                "Relay:ProxyProtocol:TrustedProxies: every entry must be an address or a CIDR range").ValidateOnStart();
        services.AddSingleton<ProxyProtocolGate>();
        services.AddOptions<TunnelOptions>().BindConfiguration(TunnelOptions.Section);
        services.AddSingleton<TunnelListener>();
        services.AddHostedService(sp => sp.GetRequiredService<TunnelListener>());
        services.AddSingleton<RelayNodeIdentity>();
        services.AddSingleton<RelayNodeDirectory>();
        services.AddSingleton<ControlHub>();
        services.AddSingleton<LiveSessions>();
        services.AddSingleton<Rendezvous>();
        services.AddSingleton<RelayNodeService>();
        services.AddHostedService(sp => sp.GetRequiredService<RelayNodeService>());
        services.AddScoped<RelayCommands>();
        services.AddScoped<AgentTokenValidator>();
        services.AddScoped<Broker>();
        services.AddSingleton<TerminalPresence>();
        services.AddSingleton<ControlEndpoint>();
        services.AddScoped<DataEndpoint>();
        services.AddScoped<SessionRunner>();
        services.AddSingleton<SessionReapingJob>();
        services.AddHostedService<RelayCertificateRenewal>();
    }

    public void MapRelay(IEndpointRouteBuilder app) =>
        app.MapGroup("").AddEndpointFilter<SessionRefusalMetrics>().MapRelayEndpoints();
}
