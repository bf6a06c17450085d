namespace AspService.Agent.Configuration;

/// <summary>
/// The agent's configuration file <c>agent.json</c> (documented field by field in docs/agent.md). Written by
/// enroll and renew from the server's answer; status, renew and unenroll read it.
/// </summary>
public sealed class AgentConfig
{
    public const int CurrentVersion = 1;

    /// <summary>Format version of this file.</summary>
    public int Version { get; set; } = CurrentVersion;

    /// <summary>The tenant's base address given to enroll (--server).</summary>
    public required Uri Server { get; set; }

    /// <summary>The mTLS endpoint (https) for status, renew and unenroll.</summary>
    public required Uri AgentEndpoint { get; set; }

    public Guid TenantId { get; set; }

    public string TenantCode { get; set; } = "";

    public string TenantName { get; set; } = "";

    public Guid TerminalId { get; set; }

    /// <summary><c>office</c> or <c>home</c>.</summary>
    public string Kind { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The server's last known state of the terminal (active, pendingApproval, ...).</summary>
    public string State { get; set; } = "";

    /// <summary>Serial of the current certificate, lower-case hex.</summary>
    public string Serial { get; set; } = "";

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    public DateTimeOffset RenewalOpensAt { get; set; }

    public DateTimeOffset EnrolledAt { get; set; }

    public DateTimeOffset? RenewedAt { get; set; }

    /// <summary>Where the private key lives: <c>file</c> (terminal.key), <c>cng-user</c> or <c>cng-machine</c> (Windows).</summary>
    public string KeyStore { get; set; } = "file";

    /// <summary>Windows only: the CNG key name (the key itself is not exportable).</summary>
    public string? KeyName { get; set; }

    /// <summary>Windows only: SHA-1 thumbprint of the certificate in the My store.</summary>
    public string? Thumbprint { get; set; }

    /// <summary>
    /// Optional outbound HTTP proxy for every connection to the server and the relay (<c>http://host:port</c>),
    /// set by hand; --proxy and --no-proxy override it. Without it the system's proxy is used. Kept on renewal.
    /// </summary>
    public string? Proxy { get; set; }
}
