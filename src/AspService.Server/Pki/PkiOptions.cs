using System.ComponentModel.DataAnnotations;

namespace AspService.Server.Pki;

/// <summary>Certificate settings (section <c>Pki</c>).</summary>
public sealed class PkiOptions
{
    public const string Section = "Pki";

    /// <summary>Lifetime of terminal certificates; renewal opens at two thirds of it.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "397.00:00:00")]
    public TimeSpan TerminalCertificateLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Lifetime of a new tenant CA (rolled over by the rotation job well before it ends).</summary>
    [Range(typeof(TimeSpan), "30.00:00:00", "7300.00:00:00")]
    public TimeSpan TenantCaLifetime { get; set; } = TimeSpan.FromDays(5 * 365);

    /// <summary>
    /// The rotation job makes a new current tenant CA once the current one has less than this left; the old root stays
    /// trusted until it expires, so certificates it issued keep working while agents renew onto the new CA.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan TenantCaRolloverBefore { get; set; } = TimeSpan.FromDays(365);

    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan EnrollmentTokenDefaultLifetime { get; set; } = TimeSpan.FromDays(1);

    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan EnrollmentTokenMaxLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The provider CA that signs the relay's TLS certificate. Production: a PEM certificate with <see cref="ProviderCaKeyPath"/>,
    /// or a PFX (with <see cref="ProviderCaPassword"/>). Empty: one is generated on first start under
    /// <c>{DataRoot}/pki</c>, its key encrypted with the Data Protection key ring.
    /// </summary>
    public string? ProviderCaPath { get; set; }

    public string? ProviderCaKeyPath { get; set; }

    public string? ProviderCaPassword { get; set; }
}

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
