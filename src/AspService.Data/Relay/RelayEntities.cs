using Microsoft.EntityFrameworkCore;

namespace AspService.Data.Relay;

/// <summary>A relay node (a process in the relay role). Its heartbeat says it is alive; agents are sent to its URL.</summary>
public sealed class RelayNode
{
    public Guid Id { get; set; }

    public required string PublicUrl { get; set; }

    /// <summary>The node's raw data tunnel (decision 0075), when it offers one; agents that know it use it for data streams.</summary>
    public string? TunnelUrl { get; set; }

    public required string Host { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastHeartbeatAt { get; set; }

    public DateTimeOffset? StoppedAt { get; set; }
}

/// <summary>
/// What a command does on the relay nodes: close one session, or every live session of a user, terminal or tenant;
/// or offer a new session to the office agent whose control connection a node holds.
/// </summary>
public enum RelayCommandKind
{
    OfferSession,
    CloseSession,
    CloseUser,
    CloseTerminal,
    CloseTenant,
}

/// <summary>
/// A broadcast to all relay nodes, polled every second (ordered by <see cref="Id"/>): how the web role, on any node,
/// closes live sessions piped by other nodes (force-disconnect, suspension, disabled users, revoked certificates).
/// </summary>
public sealed class RelayCommand
{
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    public RelayCommandKind Kind { get; set; }

    public Guid TargetId { get; set; }

    /// <summary>For <see cref="RelayCommandKind.OfferSession"/>: the office terminal to tell.</summary>
    public Guid? TerminalId { get; set; }

    /// <summary>End reason recorded on the closed sessions.</summary>
    public required string Reason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public static class RelayModel
{
    public static void Configure(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<RelayNode>(e =>
        {
            e.ToTable("RelayNodes");
            e.HasKey(n => n.Id);
            e.Property(n => n.Id).ValueGeneratedNever();
            e.Property(n => n.PublicUrl).HasMaxLength(300);
            e.Property(n => n.TunnelUrl).HasMaxLength(300);
            e.Property(n => n.Host).HasMaxLength(100);
            e.HasIndex(n => n.LastHeartbeatAt);
        });
        builder.Entity<RelayCommand>(e =>
        {
            e.ToTable("RelayCommands");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedOnAdd();
            e.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20).IsUnicode(false);
            e.Property(c => c.Reason).HasMaxLength(40).IsUnicode(false);
            e.HasIndex(c => c.CreatedAt);
        });
    }
}
