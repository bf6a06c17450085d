using System.ComponentModel.DataAnnotations;

namespace AspService.Server.Relay;

/// <summary>The agent endpoint of the relay role (section <c>Relay</c>).</summary>
public sealed class RelayOptions
{
    public const string Section = "Relay";

    /// <summary>Where the TLS 1.3 + client-certificate listener binds (an https URL; port 0 picks a free port).</summary>
    [Required]
    public string Listen { get; set; } = "https://localhost:5443";

    /// <summary>The address agents are told to use (behind a TCP load balancer: its name). Empty: the bound address.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>DNS names in the relay's server certificate.</summary>
    public string[] ServerNames { get; set; } = ["localhost"];

    /// <summary>Lifetime of the relay's server certificate, issued by the provider CA at start and renewed in place.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "397.00:00:00")]
    public TimeSpan ServerCertificateLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often this node tells the catalog it is alive.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A node (or an office agent's control connection) silent for this long is taken as gone.</summary>
    [Range(typeof(TimeSpan), "00:00:03", "00:10:00")]
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often close commands (force-disconnect, suspension, revocation) are read from the catalog.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:10")]
    public TimeSpan CommandPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
