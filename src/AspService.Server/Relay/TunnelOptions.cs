namespace AspService.Server.Relay;

/// <summary>Section <c>Relay:Tunnel</c>: the relay's raw data tunnel (decision 0075).</summary>
public sealed class TunnelOptions
{
    public const string Section = "Relay:Tunnel";

    /// <summary>Off: agents are offered WebSocket data streams only.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where it binds (an https URL; port 0 picks a free port, which is then what agents are told).</summary>
    public string Listen { get; set; } = "https://localhost:0";

    /// <summary>What agents are told (production: this node's own name on port 443). Empty: the agent listener's host and the bound port.</summary>
    public string? PublicUrl { get; set; }
}
