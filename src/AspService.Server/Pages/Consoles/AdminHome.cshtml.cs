using AspService.Billing;
using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Billing;
using AspService.Server.Consoles;
using AspService.Server.Relay;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Pages.Consoles;

/// <summary>The administrators' start page: what needs attention now and this month's usage.</summary>
public sealed class AdminHomeModel(TenantDbContext db, RelayNodeDirectory nodes, TenantBilling billing, TimeProvider time) : AdminPageModel
{
    public DateTimeOffset Now { get; private set; }

    public int PendingApprovals { get; private set; }

    public int Offices { get; private set; }

    public int OfficesOnline { get; private set; }

    public int LiveSessions { get; private set; }

    public BillingMonth Month { get; private set; }

    public UsageDto? Usage { get; private set; }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Now = time.GetUtcNow();
        Month = BillingMonth.Of(Now);
        PendingApprovals = await db.Terminals.CountAsync(t => t.State == TerminalState.PendingApproval, ct);
        var offices = await db.Terminals.AsNoTracking().Where(t => t.Kind == TerminalKind.Office && t.State == TerminalState.Active)
            .Select(t => new { t.Online, t.RelayNodeId }).ToListAsync(ct);
        Offices = offices.Count;
        // Online only while the relay node holding its control connection is alive (as the broker decides).
        var alive = offices.Any(o => o.Online) ? await nodes.AliveAsync(ct) : [];
        OfficesOnline = offices.Count(o => o.Online && o.RelayNodeId is { } n && alive.ContainsKey(n));
        LiveSessions = await db.Sessions.CountAsync(s => s.State == SessionState.Live, ct);
        var report = await billing.UsageAsync(Tenant.TenantId, [Month], null, null, ct);
        Usage = report.Months.Count > 0 ? report.Months[0] : null;
    }
}
