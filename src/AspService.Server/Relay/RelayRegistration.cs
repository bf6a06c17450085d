namespace AspService.Server.Relay;

public static class RelayRegistration
{
    /// <summary>The relay role: node registry, control connections, broker, pairing and piping.</summary>
    public static IServiceCollection AddRelay(this IServiceCollection services)
    {
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
        return services;
    }
}
