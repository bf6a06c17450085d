using AspService.Billing;
using AspService.Common;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Billing;

/// <summary>
/// A correction: a new invoice for the same tenant and month, computed from the current plan, usage and
/// issuer settings, that cancels the given one. Both stay; the old one is never changed.
/// </summary>
public sealed class InvoiceCorrection(CatalogDbContext catalog, IOptionsSnapshot<BillingOptions> options, TimeProvider time)
{
    public sealed record Request(string? Note);

    public async Task<Outcome<InvoiceDto>> CorrectAsync(Guid invoiceId, Request request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var note = errors.Optional("note", request.Note, 500);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var old = await catalog.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invoiceId, ct);
        if (old is null)
        {
            return Failures.NotFound();
        }

        var issuer = options.Value;
        if (!issuer.IssuerComplete)
        {
            return Failures.Titled(StatusCodes.Status409Conflict, MonthlyClose.IssuerMissing, BillingText.Get("issuer_missing"));
        }

        var cancelledBy = await catalog.Invoices.AsNoTracking().Where(i => i.CancelsInvoiceId == old.Id).Select(i => i.Number).FirstOrDefaultAsync(ct);
        if (cancelledBy is not null)
        {
            return Failures.Titled(StatusCodes.Status409Conflict, "invoice-already-cancelled", BillingText.Get("already_cancelled", cancelledBy));
        }

        var month = BillingMonth.FromKey(old.Month);
        var (bases, _) = await InvoiceFactory.BasesAsync(catalog, month, old.TenantId, ct);
        var basis = bases.SingleOrDefault();
        if (basis is null)
        {
            return Failures.Titled(StatusCodes.Status409Conflict, MonthlyClose.PlanMissing, BillingText.Get("plan_missing", old.TenantCode));
        }

        var now = time.GetUtcNow();
        await using var tx = await catalog.Database.BeginTransactionAsync(ct);
        var number = await InvoiceFactory.ReserveNumbersAsync(catalog, 1, ct);
        var correction = InvoiceFactory.Build(basis, month, issuer, now, number, InvoiceKind.Correction, old.Id, note);
        catalog.Invoices.Add(correction);
        try
        {
            await catalog.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another correction of the same invoice (unique CancelsInvoiceId) or a concurrent number reservation.
            return Failures.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }

        return InvoiceDto.From(correction, old.Number, null);
    }
}
