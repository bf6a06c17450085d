using AspService.Pki;

namespace AspService.Data.Terminals;

/// <summary>Where a terminal stands in the registry. Certificates are tracked separately (a terminal may have none yet).</summary>
public enum TerminalState
{
    /// <summary>A home device enrolled by its owner, waiting for a tenant admin (its certificate works only for status).</summary>
    PendingApproval,
    Active,
    Disabled,

    /// <summary>The agent unenrolled itself, or an admin revoked every certificate; a new enrollment token brings it back.</summary>
    Unenrolled,
}

/// <summary>庁内端末 (office) or 自宅端末 (home). Deleted terminals stay (audit history) but leave every query.</summary>
public sealed class Terminal
{
    public Guid Id { get; set; }

    public TerminalKind Kind { get; set; }

    public required string Name { get; set; }

    /// <summary>Office terminals: where the PC stands or which department it belongs to.</summary>
    public string? Location { get; set; }

    /// <summary>Home terminals: the staff member who owns the device.</summary>
    public Guid? OwnerUserId { get; set; }

    public TerminalState State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    public DateTimeOffset? LastSeenAt { get; set; }

    /// <summary>Filled by the relay (control connection up); shown online only while that relay node is alive.</summary>
    public bool Online { get; set; }

    /// <summary>Office terminals: the relay node holding the control connection (where the broker sends clients).</summary>
    public Guid? RelayNodeId { get; set; }

    /// <summary>Office terminals: the RDP redirection settings the agent last reported, as JSON (null = never reported).</summary>
    public string? ReportedRedirection { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    public int Version { get; set; }
}

/// <summary>Staff ↔ office terminal: a session is allowed only to an assigned terminal.</summary>
public sealed class TerminalAssignment
{
    public Guid TerminalId { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset AssignedAt { get; set; }
}

/// <summary>
/// Every certificate the tenant CA issued. The mTLS check reads this table at each handshake, so a revocation
/// takes effect at once, without waiting for a CRL.
/// </summary>
public sealed class TerminalCertificate
{
    /// <summary>Lower-case hex, as <c>X509Certificate2.SerialNumber</c> gives it.</summary>
    public required string Serial { get; set; }

    public Guid TerminalId { get; set; }

    public Guid CaId { get; set; }

    /// <summary>SHA-256 of the DER certificate: the presented certificate must be exactly this one.</summary>
    public required string Thumbprint { get; set; }

    public required byte[] Der { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>The serial this one renewed, if any.</summary>
    public string? RenewedFrom { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevocationReason { get; set; }
}

/// <summary>A one-time enrollment token. Only its SHA-256 is stored; the value is shown once to its creator.</summary>
public sealed class EnrollmentToken
{
    public Guid Id { get; set; }

    public required string TokenHash { get; set; }

    public TerminalKind Kind { get; set; }

    /// <summary>Name the terminal gets unless the agent supplies one.</summary>
    public string? PresetName { get; set; }

    /// <summary>Re-enrollment of an existing terminal (or an office terminal an admin registered first).</summary>
    public Guid? TerminalId { get; set; }

    /// <summary>Home tokens: whose device it becomes.</summary>
    public Guid? OwnerUserId { get; set; }

    /// <summary>Decided when the token is made: a staff member's own token under a policy that wants approval.</summary>
    public bool RequiresApproval { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    public Guid? UsedByTerminalId { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// The tenant's certificate authority (two rows during a rollover). The private key is stored only as Data
/// Protection ciphertext under a purpose that names the tenant, and no API returns it.
/// </summary>
public sealed class TenantCa
{
    public Guid Id { get; set; }

    public required byte[] CertificateDer { get; set; }

    public required byte[] PrivateKeyProtected { get; set; }

    public DateTimeOffset NotBefore { get; set; }

    public DateTimeOffset NotAfter { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The CA that issues new certificates; older ones stay trusted until they expire.</summary>
    public bool Current { get; set; }
}
