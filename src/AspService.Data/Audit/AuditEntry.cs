namespace AspService.Data.Audit;

/// <summary>
/// One row of a tenant's append-only audit log. <see cref="Hash"/> is SHA-256 over the row's canonical
/// content and <see cref="PreviousHash"/>, so altering or removing any row breaks the chain from there on.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>1, 2, 3, … without gaps; the primary key, so two writers cannot both append the same link.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Action { get; set; }

    /// <summary>Who did it: a user id, "system" or "operator:{id}".</summary>
    public required string Actor { get; set; }

    /// <summary>What it was done to (usually a user id); null when not about one subject.</summary>
    public string? Subject { get; set; }

    /// <summary>Non-secret detail (a role name, counts, a reason). Never passwords, codes, tokens or links.</summary>
    public string? Detail { get; set; }

    /// <summary>Client address, if the action came over HTTP.</summary>
    public string? Client { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}
