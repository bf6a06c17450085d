using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Billing;

/// <summary>
/// Closes a JST month: one regular invoice per billed tenant, numbered from the provider's gap-free counter.
/// Idempotent: tenants that already have the month's regular invoice are skipped (the unique index is the
/// final word), so a re-run returns the same invoices and numbers, and a run after a missed or failed one
/// issues only what is missing. All invoices of one run are written in one transaction.
/// </summary>
public sealed class MonthlyClose(CatalogDbContext catalog, IOptionsSnapshot<BillingOptions> options, TimeProvider time, ILogger<MonthlyClose> logger,
    Observability.ServiceMetrics metrics)
{
    public sealed record Result(string Month, int Issued, int Invoices, long FirstNumber, long LastNumber);

    /// <summary>The API's and the job's answer: the outcome of <see cref="RunAsync"/> as 200 or a 409 problem.</summary>
    public async Task<Results<Ok<Result>, ProblemHttpResult>> CloseAsync(BillingMonth month, CancellationToken ct)
    {
        var outcome = await CloseCoreAsync(month, ct);
        return outcome.Closed is { } closed
            ? TypedResults.Ok(closed)
            : Problems.Titled(StatusCodes.Status409Conflict, outcome.Refusal!, outcome.Message!);
    }

    /// <summary>HTTP-free (the operator console): close the month for the acting operator, or say why not.</summary>
    public async Task<CloseMonthOutcome> RunAsync(CloseMonthCommand command, Audit.Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var outcome = await CloseCoreAsync(command.Month, ct);
        if (outcome.Closed is not null)
        {
            // Operators live outside every tenant's audit chain: the service log records who closed.
            logger.LogInformation("Audit: operator {OperatorId} closed billing month {Month}", actor.UserId, command.Month);
        }

        return outcome;
    }

    private async Task<CloseMonthOutcome> CloseCoreAsync(BillingMonth month, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!month.HasEnded(now))
        {
            return CloseMonthOutcome.Refused(CloseMonthOutcome.MonthNotEnded, BillingText.Get("month_not_ended", month));
        }

        var issuer = options.Value;
        if (!issuer.IssuerComplete)
        {
            return CloseMonthOutcome.Refused(CloseMonthOutcome.IssuerMissing, BillingText.Get("issuer_missing"));
        }

        // A concurrent close or correction makes the counter update fail; the retry then skips what it issued.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CloseOnceAsync(month, issuer, now, ct);
            }
            catch (DbUpdateException ex) when (attempt < 3)
            {
                logger.LogWarning(ex, "Billing close of {Month} raced with another writer; retrying", month);
                catalog.ChangeTracker.Clear();
            }
        }
    }

    private async Task<CloseMonthOutcome> CloseOnceAsync(BillingMonth month, BillingOptions issuer, DateTimeOffset now, CancellationToken ct)
    {
        var (bases, missing) = await InvoiceFactory.BasesAsync(catalog, month, null, ct);
        if (missing.Count > 0)
        {
            return CloseMonthOutcome.Refused(CloseMonthOutcome.PlanMissing, BillingText.Get("plan_missing", string.Join(", ", missing)));
        }

        var invoiced = (await catalog.Invoices.AsNoTracking()
            .Where(i => i.Month == month.Key && i.Kind == InvoiceKind.Regular).Select(i => i.TenantId).ToListAsync(ct)).ToHashSet();
        var due = bases.Where(b => !invoiced.Contains(b.Tenant.Id)).ToList();

        await using var tx = await catalog.Database.BeginTransactionAsync(ct);
        long first = 0;
        if (due.Count > 0)
        {
            first = await InvoiceFactory.ReserveNumbersAsync(catalog, due.Count, ct);
            for (var i = 0; i < due.Count; i++)
            {
                catalog.Invoices.Add(InvoiceFactory.Build(due[i], month, issuer, now, first + i, InvoiceKind.Regular));
            }
        }

        var close = await catalog.BillingCloses.SingleOrDefaultAsync(c => c.Month == month.Key, ct);
        if (close is null)
        {
            close = new BillingClose { Month = month.Key, ClosedAt = now };
            catalog.BillingCloses.Add(close);
        }

        close.UpdatedAt = now;
        close.InvoiceCount = invoiced.Count + due.Count;
        await catalog.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        catalog.ChangeTracker.Clear();
        metrics.InvoicesIssued(due.Count);

        logger.LogInformation("Billing close of {Month}: {Issued} invoices issued, {Total} in the month", month, due.Count, close.InvoiceCount);
        var numbers = catalog.Invoices.AsNoTracking().Where(i => i.Month == month.Key && i.Kind == InvoiceKind.Regular).Select(i => i.SequenceNumber);
        var min = close.InvoiceCount == 0 ? 0 : await numbers.MinAsync(ct);
        var max = close.InvoiceCount == 0 ? 0 : await numbers.MaxAsync(ct);
        return CloseMonthOutcome.Done(new Result(month.ToString(), due.Count, close.InvoiceCount, min, max));
    }
}

/// <summary>
/// A correction: a new invoice for the same tenant and month, computed from the current plan, usage and
/// issuer settings, that cancels the given one. Both stay; the old one is never changed.
/// </summary>
public sealed class InvoiceCorrection(CatalogDbContext catalog, IOptionsSnapshot<BillingOptions> options, TimeProvider time)
{
    public sealed record Request(string? Note);

    public async Task<Results<Created<InvoiceDto>, ProblemHttpResult>> CorrectAsync(Guid invoiceId, Request request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var note = errors.Optional("note", request.Note, 500);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var old = await catalog.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invoiceId, ct);
        if (old is null)
        {
            return Problems.NotFound();
        }

        var issuer = options.Value;
        if (!issuer.IssuerComplete)
        {
            return Problems.Titled(StatusCodes.Status409Conflict, "billing-issuer-missing", BillingText.Get("issuer_missing"));
        }

        var cancelledBy = await catalog.Invoices.AsNoTracking().Where(i => i.CancelsInvoiceId == old.Id).Select(i => i.Number).FirstOrDefaultAsync(ct);
        if (cancelledBy is not null)
        {
            return Problems.Titled(StatusCodes.Status409Conflict, "invoice-already-cancelled", BillingText.Get("already_cancelled", cancelledBy));
        }

        var month = BillingMonth.FromKey(old.Month);
        var (bases, _) = await InvoiceFactory.BasesAsync(catalog, month, old.TenantId, ct);
        var basis = bases.SingleOrDefault();
        if (basis is null)
        {
            return Problems.Titled(StatusCodes.Status409Conflict, "billing-plan-missing", BillingText.Get("plan_missing", old.TenantCode));
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
            return Problems.Of(StatusCodes.Status409Conflict, "concurrent_change");
        }

        return TypedResults.Created($"/api/v1/ops/billing/invoices/{correction.Id}", InvoiceDto.From(correction, old.Number, null));
    }
}
