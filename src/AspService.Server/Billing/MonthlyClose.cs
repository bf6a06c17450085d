using AspService.Billing;
using AspService.Common;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Server.Hosting;
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

    /// <summary>Problem types (failure codes) of a refused close: retrying cannot help until an operator fixes the cause.</summary>
    public const string MonthNotEnded = "month-not-ended";
    public const string IssuerMissing = "billing-issuer-missing";
    public const string PlanMissing = "billing-plan-missing";

    /// <summary>
    /// Closes the month, or says why not (409: the month has not ended, the issuer settings are incomplete, a tenant
    /// has no plan). <paramref name="actor"/> is the operator who asked, or null for the recurring job.
    /// </summary>
    public async Task<Outcome<Result>> CloseAsync(CloseMonthCommand command, Audit.Actor? actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var outcome = await CloseCoreAsync(command.Month, ct);
        if (outcome.Succeeded && actor is not null)
        {
            // Operators live outside every tenant's audit chain: the service log records who closed.
            logger.LogInformation("Audit: operator {OperatorId} closed billing month {Month}", actor.UserId, command.Month);
        }

        return outcome;
    }

    private async Task<Outcome<Result>> CloseCoreAsync(BillingMonth month, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!month.HasEnded(now))
        {
            return Refused(MonthNotEnded, BillingText.Get("month_not_ended", month));
        }

        var issuer = options.Value;
        if (!issuer.IssuerComplete)
        {
            return Refused(IssuerMissing, BillingText.Get("issuer_missing"));
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

    private async Task<Outcome<Result>> CloseOnceAsync(BillingMonth month, BillingOptions issuer, DateTimeOffset now, CancellationToken ct)
    {
        var (bases, missing) = await InvoiceFactory.BasesAsync(catalog, month, null, ct);
        if (missing.Count > 0)
        {
            return Refused(PlanMissing, BillingText.Get("plan_missing", string.Join(", ", missing)));
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
        return new Result(month.ToString(), due.Count, close.InvoiceCount, min, max);
    }

    private static Failure Refused(string code, string title) => Failures.Titled(StatusCodes.Status409Conflict, code, title);
}
