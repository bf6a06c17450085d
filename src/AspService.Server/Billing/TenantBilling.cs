using AspService.Billing;
using AspService.Data.Catalog;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>
/// A tenant admin's own billing, HTTP-free: usage, the invoice list and one invoice's PDF. Rows live in the catalog,
/// so every query is filtered by the tenant the caller passes — the one resolved for the request, never an id the
/// client sends. The API (<see cref="TenantBillingEndpoints"/>) and the administrators' pages both call it.
/// </summary>
public sealed class TenantBilling(CatalogDbContext catalog, TimeProvider time)
{
    /// <summary>The tenant's usage over the months (as chosen by <see cref="UsageView.Select"/>), <paramref name="daily"/> with its days.</summary>
    public async Task<UsageView.Report> UsageAsync(Guid tenantId, IReadOnlyList<BillingMonth> months, BillingMonth? daily, int? fiscalYear, CancellationToken ct)
    {
        var current = BillingMonth.Of(time.GetUtcNow());
        var tenant = await catalog.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId, ct);
        return await UsageView.BuildAsync(catalog, tenant, months, daily, fiscalYear, current.ToString(), ct);
    }

    public static IReadOnlyList<BillingMonth> LastTwelve(BillingMonth current)
    {
        var list = new List<BillingMonth> { current };
        while (list.Count < 12)
        {
            list.Insert(0, list[0].Previous);
        }

        return list;
    }

    /// <summary>The tenant's invoices, newest first (corrections included; cancelled ones marked).</summary>
    public async Task<IReadOnlyList<InvoiceSummary>> InvoicesAsync(Guid tenantId, CancellationToken ct)
    {
        var invoices = await catalog.Invoices.AsNoTracking().Where(i => i.TenantId == tenantId).OrderByDescending(i => i.SequenceNumber)
            .Select(i => new { i.Id, i.Number, i.Kind, i.Month, i.IssueDate, i.Total, i.CancelsInvoiceId }).ToListAsync(ct);
        var payments = await catalog.StripeInvoiceSyncs.AsNoTracking().Where(s => s.TenantId == tenantId).ToDictionaryAsync(s => s.InvoiceId, ct);
        var cancelled = invoices.Where(i => i.CancelsInvoiceId is not null).Select(i => i.CancelsInvoiceId!.Value).ToHashSet();
        return [.. invoices.Select(i => new InvoiceSummary(
            i.Id, i.Number, i.Kind, BillingMonth.FromKey(i.Month).ToString(), i.IssueDate, i.Total, cancelled.Contains(i.Id),
            payments.GetValueOrDefault(i.Id)?.State, payments.GetValueOrDefault(i.Id)?.PaidAt))];
    }

    /// <summary>One of the tenant's invoices (another tenant's is not found).</summary>
    public Task<InvoiceDto?> InvoiceAsync(Guid tenantId, Guid id, CancellationToken ct) => InvoiceReader.LoadAsync(catalog, id, tenantId, ct);

    /// <summary>The invoice as a PDF (適格請求書) and its file name, or null when not found.</summary>
    public async Task<(byte[] Pdf, string FileName)?> PdfAsync(Guid tenantId, Guid id, CancellationToken ct) =>
        await InvoiceAsync(tenantId, id, ct) is { } dto ? (InvoicePdf.Render(dto), $"{dto.Number}.pdf") : null;
}
