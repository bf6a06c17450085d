namespace AspService.Agent.Enrollment;

/// <summary><c>POST {server}/api/v1/enrollments</c>.</summary>
public sealed record EnrollmentRequest(string Token, string Csr, string? Name);

/// <summary><c>POST {agentEndpoint}/api/v1/terminal/renewal</c> (mTLS).</summary>
public sealed record RenewalRequest(string Csr);

/// <summary>The fields every answer about a terminal carries.</summary>
public abstract class TerminalFields
{
    public Guid TerminalId { get; set; }

    public Guid TenantId { get; set; }

    public string? TenantCode { get; set; }

    public string? TenantName { get; set; }

    /// <summary><c>office</c> or <c>home</c>.</summary>
    public string? Kind { get; set; }

    public string? Name { get; set; }

    /// <summary><c>active</c>, <c>pendingApproval</c>, ...</summary>
    public string? State { get; set; }

    public string? Serial { get; set; }
}

/// <summary>The answer to an enrollment (201) or a renewal (200).</summary>
public sealed class IssuedCertificate : TerminalFields
{
    public string? CertificatePem { get; set; }

    /// <summary>Leaf + tenant root.</summary>
    public string? ChainPem { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    public DateTimeOffset RenewalOpensAt { get; set; }

    public Uri? AgentEndpoint { get; set; }

    /// <summary>The CA that signs the agent endpoint's TLS server certificate; status/renew/unenroll pin to it.</summary>
    public string? ProviderCaPem { get; set; }
}

/// <summary><c>GET {agentEndpoint}/api/v1/terminal</c>: the server's view of this terminal.</summary>
public sealed class TerminalView : TerminalFields
{
    public DateTimeOffset? NotAfter { get; set; }

    public DateTimeOffset? RenewalOpensAt { get; set; }
}
