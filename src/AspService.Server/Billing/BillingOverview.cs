using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>
/// What the operator reads about billing, HTTP-free: the closed months and the invoice list. The operator API
/// and the operator console both call it (the API's JSON shape is its own projection).
/// </summary>
public sealed class BillingOverview(CatalogDbContext catalog)
{
    public sealed record Close(BillingMonth Month, DateTimeOffset ClosedAt, DateTimeOffset UpdatedAt, int InvoiceCount);

    public sealed record InvoiceRow(Guid Id, string Number, InvoiceKind Kind, BillingMonth Month, string TenantCode, string RecipientName,
        DateOnly IssueDate, long Total, Guid? CancelsInvoiceId, bool Cancelled);

    /// <summary>One invoice (any tenant's) with its links, or null.</summary>
    public Task<InvoiceDto?> InvoiceAsync(Guid id, CancellationToken ct) => InvoiceReader.LoadAsync(catalog, id, null, ct);

    /// <summary>Every closed month, newest first.</summary>
    public async Task<IReadOnlyList<Close>> ClosesAsync(CancellationToken ct) =>
        [.. (await catalog.BillingCloses.AsNoTracking().ToListAsync(ct)).OrderByDescending(c => c.Month)
            .Select(c => new Close(BillingMonth.FromKey(c.Month), c.ClosedAt, c.UpdatedAt, c.InvoiceCount))];

    /// <summary>Invoices in number order (at most 5,000), optionally of one month and one tenant code.</summary>
    public async Task<IReadOnlyList<InvoiceRow>> InvoicesAsync(BillingMonth? month, string? tenantCode, CancellationToken ct)
    {
        var key = month?.Key;
        var list = await catalog.Invoices.AsNoTracking()
            .Where(i => key == null || i.Month == key)
            .Where(i => tenantCode == null || i.TenantCode == tenantCode)
            .OrderBy(i => i.SequenceNumber).Take(5000)
            .Select(i => new { i.Id, i.Number, i.Kind, i.Month, i.TenantCode, i.RecipientName, i.IssueDate, i.Total, i.CancelsInvoiceId })
            .ToListAsync(ct);
        var cancelled = list.Where(i => i.CancelsInvoiceId is not null).Select(i => i.CancelsInvoiceId!.Value).ToHashSet();
        return [.. list.Select(i => new InvoiceRow(i.Id, i.Number, i.Kind, BillingMonth.FromKey(i.Month), i.TenantCode, i.RecipientName,
            i.IssueDate, i.Total, i.CancelsInvoiceId, cancelled.Contains(i.Id)))];
    }
}
