using AspService.Billing;
using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Pki;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>
/// Meters one tenant's month from its own database (sessions and office terminals) into the catalog's roll-ups.
/// Idempotent: the roll-ups are replaced, never added to, so it can run every hour and again before the close.
/// </summary>
public sealed class Metering(TenantDbContext db, UsageRollups rollups, TimeProvider time)
{
    public async Task<MeteredMonth> MeterAsync(BillingMonth month, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // UTC instants: PostgreSQL stores timestamptz and accepts only offset 0.
        var from = month.Start.ToUniversalTime();
        var to = month.End.ToUniversalTime();
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.StartedAt != null && s.StartedAt < to && (s.EndedAt == null || s.EndedAt > from))
            .Select(s => new MeteredSession(s.UserId, s.StartedAt!.Value, s.State == SessionState.Ended ? s.EndedAt : null))
            .ToListAsync(ct);
        var terminals = await db.Terminals.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.Kind == TerminalKind.Office && t.CreatedAt < to && (t.DeletedAt == null || t.DeletedAt >= from))
            .Select(t => new MeteredTerminal(t.CreatedAt, t.DeletedAt))
            .ToListAsync(ct);
        var measured = UsageMeter.Measure(month, sessions, terminals, now);
        await rollups.UpsertDailyAsync(db.Tenant.TenantId,
            measured.Days.Select(d => new UsageRollups.Day(d.Day, d.OfficeTerminals, d.ActiveUsers, d.Sessions, d.SessionSeconds)).ToList(), ct);
        await rollups.RecomputeMonthAsync(db.Tenant.TenantId, month, measured.ActiveUsers, ct);
        return measured;
    }
}
