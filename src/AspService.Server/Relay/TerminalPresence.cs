using AspService.Data.Tenancy;
using AspService.Server.Audit;
using AspService.Server.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Relay;

/// <summary>
/// Writes an office terminal's online state. Each write uses its own short-lived context and a set-based update of
/// the online columns only (keyed by terminal and, going offline, by this node), so it can never save a stale row:
/// an admin renaming or moving the terminal meanwhile neither blocks it nor is overwritten by it. A control
/// connection holds no context or tracked entity while it waits.
/// </summary>
public sealed class TerminalPresence(TenantDbContextFactory contexts, RelayNodeIdentity node, TimeProvider time, ILogger<AuditLog> auditLogger)
{
    /// <summary>Online on this node; <paramref name="redirection"/> (the hello's report) replaces the stored one when given.</summary>
    public async Task OnlineAsync(TenantBinding tenant, Guid terminalId, string? redirection, string? client, bool audit)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var now = time.GetUtcNow();
        await using var db = contexts.Create(tenant);
        var rows = redirection is null
            ? await db.Terminals.Where(t => t.Id == terminalId).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Online, true).SetProperty(t => t.RelayNodeId, node.Id).SetProperty(t => t.LastSeenAt, now))
            : await db.Terminals.Where(t => t.Id == terminalId).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Online, true).SetProperty(t => t.RelayNodeId, node.Id).SetProperty(t => t.LastSeenAt, now)
                .SetProperty(t => t.ReportedRedirection, redirection));
        if (rows > 0 && audit)
        {
            await new AuditLog(db, time, auditLogger).WriteAsync(RelayAudit.OfficeOnline, AuditLog.System, terminalId.ToString("D"), $"node={node.Id}", client, CancellationToken.None);
        }
    }

    /// <summary>Offline, unless the terminal has meanwhile reconnected through another node.</summary>
    public async Task OfflineAsync(TenantBinding tenant, Guid terminalId, string? client)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var now = time.GetUtcNow();
        await using var db = contexts.Create(tenant);
        var rows = await db.Terminals.Where(t => t.Id == terminalId && t.RelayNodeId == node.Id).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Online, false).SetProperty(t => t.LastSeenAt, now));
        if (rows > 0)
        {
            await new AuditLog(db, time, auditLogger).WriteAsync(RelayAudit.OfficeOffline, AuditLog.System, terminalId.ToString("D"), $"node={node.Id}", client, CancellationToken.None);
        }
    }
}
