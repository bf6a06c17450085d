using AspService.Server.Billing;
using AspService.Server.Consoles;
using Microsoft.AspNetCore.Mvc;

namespace AspService.Server.Pages.Operators;

/// <summary>
/// One invoice: its lines and taxes per rate, the PDF, and a correction (a new invoice from current data that
/// cancels this one; issued invoices never change).
/// </summary>
public sealed class InvoiceModel(BillingOverview overview, InvoiceCorrection corrections) : OperatorPageModel
{
    public InvoiceDto Invoice { get; private set; } = null!;

    public FormErrors Errors { get; } = new();

    [BindProperty]
    public string? Note { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetPdfAsync(Guid id, CancellationToken ct) =>
        await overview.InvoiceAsync(id, ct) is { } dto
            ? File(InvoicePdf.Render(dto), "application/pdf", $"{dto.Number}.pdf")
            : NotFound();

    public async Task<IActionResult> OnPostCorrectAsync(Guid id, CancellationToken ct)
    {
        var outcome = await corrections.CorrectAsync(id, new InvoiceCorrection.Request(Note?.Trim() is { Length: > 0 } n ? n : null), ct);
        if (outcome.Value is { } created)
        {
            return Redirect($"/ops/billing/invoices/{created.Id}");
        }

        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        Errors.Add("note", Message(outcome.Failure!, "note"));
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        Invoice = (await overview.InvoiceAsync(id, ct))!;
        return Invoice is not null;
    }
}
