using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using Microsoft.EntityFrameworkCore;
using AspService.Common;

namespace AspService.Server.Billing;

/// <summary>What a tenant is billed for one month: the plan version in force and the month's usage.</summary>
internal sealed record BillingBasis(Tenant Tenant, Plan Plan, MonthlyUsage Usage);

/// <summary>Builds invoices (pure, apart from the sequence) and reads what they are built from.</summary>
internal static class InvoiceFactory
{
    public static Invoice Build(BillingBasis basis, BillingMonth month, BillingOptions issuer, DateTimeOffset now, long sequence, InvoiceKind kind, Guid? cancels = null, string? note = null)
    {
        var priced = PlanPricing.Lines(basis.Plan.Prices, basis.Usage, issuer.TaxRatePercent);
        var taxes = ConsumptionTax.PerRate(priced.Select(l => (l.Amount, l.TaxRatePercent)), issuer.Rounding);
        var id = Guid.CreateVersion7(now);
        var invoice = new Invoice
        {
            Id = id,
            SequenceNumber = sequence,
            Number = issuer.FormatNumber(sequence),
            TenantId = basis.Tenant.Id,
            TenantCode = basis.Tenant.Code,
            Month = month.Key,
            Kind = kind,
            CancelsInvoiceId = cancels,
            IssueDate = Jst.Today(now),
            IssuedAt = now,
            PeriodStart = month.FirstDay,
            PeriodEnd = month.LastDay,
            RecipientName = basis.Tenant.Name + " 御中",
            IssuerName = issuer.IssuerName!.Trim(),
            IssuerAddress = issuer.IssuerAddress!.Trim(),
            RegistrationNumber = issuer.RegistrationNumber!,
            PlanId = basis.Plan.Id,
            PlanCode = basis.Plan.Code,
            Rounding = issuer.Rounding,
            Subtotal = taxes.Sum(t => t.Subtotal),
            Tax = taxes.Sum(t => t.Tax),
            Note = note,
        };
        invoice.Total = invoice.Subtotal + invoice.Tax;
        invoice.Lines.AddRange(priced.Select((l, i) => new InvoiceLine
        {
            InvoiceId = id,
            LineNumber = i + 1,
            Code = l.Code,
            Description = l.Description,
            Quantity = l.Quantity,
            Unit = l.Unit,
            UnitPrice = l.UnitPrice,
            Amount = l.Amount,
            TaxRatePercent = l.TaxRatePercent,
        }));
        invoice.Taxes.AddRange(taxes.Select(t => new InvoiceTax { InvoiceId = id, RatePercent = t.RatePercent, Subtotal = t.Subtotal, Tax = t.Tax }));
        return invoice;
    }

    /// <summary>
    /// Reserves <paramref name="count"/> numbers from the provider's counter and returns the first. Must be
    /// saved in the same SaveChanges/transaction as the invoices: the counter's concurrency token makes a
    /// concurrent reservation fail instead of reusing numbers, and a rollback returns the numbers.
    /// </summary>
    public static async Task<long> ReserveNumbersAsync(CatalogDbContext catalog, int count, CancellationToken ct)
    {
        var sequence = await catalog.InvoiceSequences.SingleOrDefaultAsync(s => s.Name == InvoiceSequence.Invoices, ct);
        if (sequence is null)
        {
            sequence = new InvoiceSequence { Name = InvoiceSequence.Invoices, LastNumber = 0 };
            catalog.InvoiceSequences.Add(sequence);
        }

        var first = sequence.LastNumber + 1;
        sequence.LastNumber += count;
        return first;
    }

    /// <summary>
    /// The basis of each tenant billed for the month (decisions 0020 and 0021), in tenant code order, and the
    /// codes of billed tenants whose plan code has no version in force (a configuration error).
    /// </summary>
    public static async Task<(List<BillingBasis> Billed, List<string> MissingPlan)> BasesAsync(CatalogDbContext catalog, BillingMonth month, Guid? onlyTenant, CancellationToken ct)
    {
        var first = month.FirstDay;
        var next = month.Next.FirstDay;
        var assignments = await catalog.TenantPlanAssignments.AsNoTracking()
            .Where(a => a.EffectiveFrom < next && (a.EffectiveUntil == null || a.EffectiveUntil > first))
            .Where(a => onlyTenant == null || a.TenantId == onlyTenant)
            .ToListAsync(ct);
        var tenantIds = assignments.Select(a => a.TenantId).Distinct().ToList();
        var tenants = await catalog.Tenants.AsNoTracking().Where(t => tenantIds.Contains(t.Id)).ToListAsync(ct);
        var plans = await catalog.Plans.AsNoTracking()
            .Where(p => p.EffectiveFrom < next && (p.EffectiveUntil == null || p.EffectiveUntil > first))
            .ToListAsync(ct);
        var usage = await catalog.UsageMonthly.AsNoTracking().Where(u => u.Month == month.Key)
            .Where(u => onlyTenant == null || u.TenantId == onlyTenant)
            .ToDictionaryAsync(u => u.TenantId, ct);
        var byTenant = assignments.ToLookup(a => a.TenantId);
        var byCode = plans.ToLookup(p => p.Code, StringComparer.Ordinal);

        var billed = new List<BillingBasis>();
        var missing = new List<string>();
        foreach (var tenant in tenants.OrderBy(t => t.Code, StringComparer.Ordinal).ThenBy(t => t.CreatedAt))
        {
            var assignment = BillingRules.InForce(byTenant[tenant.Id], a => a.Period, month);
            if (assignment is null || !BillingRules.IsBilledMonth(tenant.State, tenant.StateChangedAt, month))
            {
                continue;
            }

            var plan = BillingRules.InForce(byCode[assignment.PlanCode], p => p.Period, month);
            if (plan is null)
            {
                missing.Add(tenant.Code);
                continue;
            }

            billed.Add(new BillingBasis(tenant, plan, usage.TryGetValue(tenant.Id, out var u) ? u.ToUsage() : MonthlyUsage.None));
        }

        return (billed, missing);
    }
}
