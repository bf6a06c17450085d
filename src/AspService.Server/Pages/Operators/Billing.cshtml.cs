using AspService.Billing;
using AspService.Server.Billing;
using AspService.Server.Consoles;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Operators;

/// <summary>
/// Billing at a glance (/ops/billing): the monthly closes (run one, see their state), the invoices of a month with
/// their PDFs, the month's exports (CSV in UTF-8 or Shift_JIS, JSON) and the way to the plans. The same services as
/// the operator API.
/// </summary>
public sealed class BillingModel(BillingOverview overview, MonthlyClose close, BillingExports exports, TimeProvider time,
    IStringLocalizer<ConsoleText> text) : OperatorPageModel
{
    public FormErrors Errors { get; } = new();

    public IReadOnlyList<BillingOverview.Close> Closes { get; private set; } = [];

    public IReadOnlyList<BillingOverview.InvoiceRow> Invoices { get; private set; } = [];

    /// <summary>The month shown: the one asked for, else the newest closed one, else last month.</summary>
    public BillingMonth Month { get; private set; }

    public bool MonthClosed => Closes.Any(c => c.Month == Month);

    /// <summary>What the last close did, shown once after the redirect.</summary>
    public string? Notice { get; private set; }

    [BindProperty(SupportsGet = true, Name = "month")]
    public string? MonthText { get; set; }

    [BindProperty]
    public string? CloseMonth { get; set; }

    public async Task<IActionResult> OnGetAsync(string? closed, int? issued, CancellationToken ct)
    {
        if (closed is not null && issued is not null && BillingMonth.TryParse(closed, out var done))
        {
            Notice = text["ops.billing.closed", MonthLabel(done.Value), issued.Value];
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken ct)
    {
        if (!BillingMonth.TryParse(Normalize.Narrow(CloseMonth), out var month))
        {
            Errors.Add("closemonth", text["ops.billing.month.invalid"]);
        }
        else
        {
            var outcome = await close.CloseAsync(new CloseMonthCommand(month.Value), Actor, ct);
            if (outcome.Value is { } done)
            {
                return Redirect($"/ops/billing?month={done.Month}&closed={done.Month}&issued={done.Issued}");
            }

            Errors.Add("closemonth", outcome.Failure!.Title);
        }

        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The month's invoice lines as CSV: UTF-8 with BOM, or Shift_JIS for older accounting tools.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? encoding, CancellationToken ct)
    {
        if (await ClosedMonthAsync(ct) is not { } month)
        {
            return NotFound();
        }

        var sjis = string.Equals(encoding, "shift_jis", StringComparison.OrdinalIgnoreCase);
        var csv = BillingExports.Csv(await exports.InvoicesAsync(month, ct));
        try
        {
            var bytes = BillingExports.Encode(csv, sjis ? BillingExports.ShiftJis : BillingExports.Utf8WithBom);
            return File(bytes, $"text/csv; charset={(sjis ? "shift_jis" : "utf-8")}", $"invoices-{month}{(sjis ? "-sjis" : string.Empty)}.csv");
        }
        catch (System.Text.EncoderFallbackException)
        {
            // A name Shift_JIS cannot hold: say so on the page, offer UTF-8.
            Errors.Add("exports", text["ops.billing.export.sjis"]);
            await LoadAsync(ct);
            return Page();
        }
    }

    public async Task<IActionResult> OnGetJsonAsync(CancellationToken ct) =>
        await ClosedMonthAsync(ct) is { } month
            ? File(BillingExports.Json(month, await exports.InvoicesAsync(month, ct)), "application/json", $"invoices-{month}.json")
            : NotFound();

    private async Task<BillingMonth?> ClosedMonthAsync(CancellationToken ct) =>
        BillingMonth.TryParse(MonthText, out var month) && await exports.IsClosedAsync(month.Value, ct) ? month : null;

    private async Task LoadAsync(CancellationToken ct)
    {
        Closes = await overview.ClosesAsync(ct);
        Month = BillingMonth.TryParse(Normalize.Narrow(MonthText), out var asked) ? asked.Value
            : Closes.Count > 0 ? Closes[0].Month : BillingMonth.Of(time.GetUtcNow()).Previous;
        CloseMonth ??= BillingMonth.Of(time.GetUtcNow()).Previous.ToString();
        Invoices = await overview.InvoicesAsync(Month, null, ct);
    }
}
