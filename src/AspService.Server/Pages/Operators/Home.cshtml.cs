using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Billing;
using AspService.Server.Consoles;
using AspService.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Pages.Operators;

/// <summary>The operator console's start: what waits (applications, provisioning), tenants by state, the last close.</summary>
public sealed class HomeModel(CatalogDbContext catalog, BillingOverview overview) : OperatorPageModel
{
    public int PendingApplications { get; private set; }

    public IReadOnlyDictionary<TenantState, int> ByState { get; private set; } = new Dictionary<TenantState, int>();

    public BillingOverview.Close? LastClose { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        PendingApplications = await catalog.SignupApplications.CountAsync(a => a.State == ApplicationState.Pending, ct);
        ByState = (await catalog.Tenants.AsNoTracking().GroupBy(t => t.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(g => g.Key, g => g.Count);
        var closes = await overview.ClosesAsync(ct);
        LastClose = closes.Count > 0 ? closes[0] : null;
    }
}
