namespace AspService.Data.Sessions;

/// <summary>Where a relayed session stands.</summary>
public enum SessionState
{
    /// <summary>The broker issued a ticket; the two data streams have not both arrived yet.</summary>
    Requested,
    Live,
    Ended,
}

/// <summary>
/// One relayed session (home agent ↔ office PC). Bytes are counted by the relay; nothing of the stream is kept.
/// Live sessions are also held in memory by the relay node that pipes them.
/// </summary>
public sealed class RelaySession
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public Guid HomeTerminalId { get; set; }

    public required string HomeCertificateSerial { get; set; }

    public Guid OfficeTerminalId { get; set; }

    /// <summary>The relay node that holds (or will hold) the office terminal's control connection.</summary>
    public Guid RelayNodeId { get; set; }

    public SessionState State { get; set; }

    /// <summary>The home side's address as the relay saw it.</summary>
    public string? SourceAddress { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Stable code: completed, home_closed, office_closed, idle_timeout, max_length, disconnected_by_admin, ...</summary>
    public string? EndReason { get; set; }

    public long BytesHomeToOffice { get; set; }

    public long BytesOfficeToHome { get; set; }

    /// <summary>The ticket's SHA-256 (single use, 60 s). The ticket itself is never stored.</summary>
    public required byte[] TicketHash { get; set; }

    public DateTimeOffset TicketExpiresAt { get; set; }

    public DateTimeOffset? TicketUsedAt { get; set; }

    public int Version { get; set; }
}
