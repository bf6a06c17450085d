using AspService.Billing;
using AspService.Server.Billing;
using AspService.Server.Consoles;

namespace AspService.Server.Pages.Billing;

/// <summary>The municipality's usage: the last twelve months, or a fiscal year (April–March), with totals.</summary>
public sealed class AdminUsageModel(TenantBilling billing, TimeProvider time) : AdminPageModel
{
    /// <summary>A fiscal year (2026 = April 2026 – March 2027); none: the last twelve months.</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true, Name = "fy")]
    public int? FiscalYear { get; set; }

    public IReadOnlyList<int> Years { get; private set; } = [];

    public UsageView.Report Report { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        var current = BillingMonth.Of(time.GetUtcNow());
        Years = [.. Enumerable.Range(0, 5).Select(i => current.FiscalYear - i)];
        if (FiscalYear is { } y && !Years.Contains(y))
        {
            FiscalYear = null;
        }

        Report = FiscalYear is { } year
            ? await billing.UsageAsync(Tenant.TenantId, BillingMonth.FiscalYearMonths(year), null, year, HttpContext.RequestAborted)
            : await billing.UsageAsync(Tenant.TenantId, TenantBilling.LastTwelve(current), null, null, HttpContext.RequestAborted);
    }

    public static (int Hours, int Minutes) HoursMinutes(long seconds) => ((int)(seconds / 3600), (int)(seconds % 3600 / 60));
}
