using AspService.Data.Catalog;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>Reads one invoice with the numbers of the invoices it cancels and that cancel it.</summary>
public static class InvoiceReader
{
    /// <summary>An invoice with its links; with <paramref name="tenantId"/>, only if it is that tenant's.</summary>
    public static async Task<InvoiceDto?> LoadAsync(CatalogDbContext catalog, Guid id, Guid? tenantId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var invoice = await catalog.Invoices.AsNoTracking().AsSplitQuery().Include(i => i.Lines).Include(i => i.Taxes)
            .SingleOrDefaultAsync(i => i.Id == id && (tenantId == null || i.TenantId == tenantId), ct);
        if (invoice is null)
        {
            return null;
        }

        var cancels = invoice.CancelsInvoiceId is { } c ? await catalog.Invoices.AsNoTracking().Where(i => i.Id == c).Select(i => i.Number).SingleOrDefaultAsync(ct) : null;
        var cancelledBy = await catalog.Invoices.AsNoTracking().Where(i => i.CancelsInvoiceId == id).Select(i => i.Number).SingleOrDefaultAsync(ct);
        return InvoiceDto.From(invoice, cancels, cancelledBy);
    }
}
