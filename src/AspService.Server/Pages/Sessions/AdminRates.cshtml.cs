using AspService.Billing;
using AspService.Server.Consoles;
using AspService.Server.Sessions;
using Microsoft.AspNetCore.Mvc;

namespace AspService.Server.Pages.Sessions;

/// <summary>利用率 (staff who teleworked ÷ staff) by month and fiscal year, as decision 0086 defines it.</summary>
public sealed class AdminRatesModel(TeleworkRecords records, TimeProvider time) : AdminPageModel
{
    [BindProperty(SupportsGet = true, Name = "fy")]
    public int? FiscalYear { get; set; }

    public IReadOnlyList<int> Years { get; private set; } = [];

    public TeleworkRateYear Rates { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        var now = time.GetUtcNow();
        var current = BillingMonth.Of(now).FiscalYear;
        Years = [.. Enumerable.Range(0, 5).Select(i => current - i)];
        var year = FiscalYear is { } y && Years.Contains(y) ? y : current;
        FiscalYear = year;
        Rates = await records.RatesAsync(year, now, HttpContext.RequestAborted);
    }
}
