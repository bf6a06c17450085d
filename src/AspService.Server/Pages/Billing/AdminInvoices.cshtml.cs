using AspService.Server.Billing;
using AspService.Server.Consoles;
using Microsoft.AspNetCore.Mvc;

namespace AspService.Server.Pages.Billing;

/// <summary>The municipality's invoices, newest first, each with its PDF (a GET download; nothing changes).</summary>
public sealed class AdminInvoicesModel(TenantBilling billing) : AdminPageModel
{
    public IReadOnlyList<InvoiceSummary> Invoices { get; private set; } = [];

    public async Task OnGetAsync() => Invoices = await billing.InvoicesAsync(Tenant.TenantId, HttpContext.RequestAborted);

    /// <summary><c>?handler=pdf&amp;id=…</c>: the PDF of one of this tenant's invoices (another tenant's is not found).</summary>
    public async Task<IActionResult> OnGetPdfAsync(Guid id) =>
        await billing.PdfAsync(Tenant.TenantId, id, HttpContext.RequestAborted) is { } pdf
            ? File(pdf.Pdf, "application/pdf", pdf.FileName)
            : NotFound();
}
