using AspService.Billing;

namespace AspService.Data.Billing;

/// <summary>
/// One version of a plan: its prices (tax-exclusive JPY) for a span of JST days. Versions of one
/// <see cref="Code"/> never overlap (decision 0020).
/// </summary>
public sealed class Plan
{
    public Guid Id { get; set; }

    public required string Code { get; set; }

    public required string Name { get; set; }

    public DateOnly EffectiveFrom { get; set; }

    /// <summary>Exclusive; null while open-ended.</summary>
    public DateOnly? EffectiveUntil { get; set; }

    public long BaseFee { get; set; }

    public long PerOfficeTerminal { get; set; }

    public long PerActiveUser { get; set; }

    public int IncludedSessionHours { get; set; }

    public long PerExtraHour { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int Version { get; set; }

    public DatePeriod Period => new(EffectiveFrom, EffectiveUntil);

    public PlanPrices Prices => new(BaseFee, PerOfficeTerminal, PerActiveUser, IncludedSessionHours, PerExtraHour);
}

/// <summary>Which plan (by code) a tenant is on, for a span of JST days. A tenant's assignments never overlap.</summary>
public sealed class TenantPlanAssignment
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string PlanCode { get; set; }

    public DateOnly EffectiveFrom { get; set; }

    public DateOnly? EffectiveUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DatePeriod Period => new(EffectiveFrom, EffectiveUntil);
}

/// <summary>
/// A tenant's usage on one JST day, written by metering. Recomputable: metering overwrites the row for
/// (tenant, day) with what the tenant database says (an upsert), so running it twice changes nothing.
/// </summary>
public sealed class UsageDaily
{
    public Guid TenantId { get; set; }

    public DateOnly Day { get; set; }

    /// <summary>Registered office terminals at the end of the day.</summary>
    public int OfficeTerminals { get; set; }

    /// <summary>Distinct users with a session on the day.</summary>
    public int ActiveUsers { get; set; }

    public int Sessions { get; set; }

    /// <summary>Session time within the day (sessions are split at JST midnight).</summary>
    public long SessionSeconds { get; set; }

    public DateTimeOffset ComputedAt { get; set; }
}

/// <summary>A tenant's usage in one JST month (<see cref="Month"/> = yyyyMM); recomputable like the daily rows.</summary>
public sealed class UsageMonthly
{
    public Guid TenantId { get; set; }

    public int Month { get; set; }

    /// <summary>Highest daily count of registered office terminals in the month.</summary>
    public int OfficeTerminals { get; set; }

    /// <summary>Distinct users with a session in the month (not the sum of the daily counts).</summary>
    public int ActiveUsers { get; set; }

    public int Sessions { get; set; }

    public long SessionSeconds { get; set; }

    public DateTimeOffset ComputedAt { get; set; }

    public MonthlyUsage ToUsage() => new(OfficeTerminals, ActiveUsers, SessionSeconds);
}

/// <summary>A closed month (yyyyMM): exports are available from then on.</summary>
public sealed class BillingClose
{
    public int Month { get; set; }

    public DateTimeOffset ClosedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int InvoiceCount { get; set; }
}

/// <summary>
/// The provider's gap-free invoice counter: the row is advanced in the same transaction that inserts the
/// invoice, so a rolled-back close leaves no hole, and the concurrency token stops two closers from
/// taking the same number.
/// </summary>
public sealed class InvoiceSequence
{
    public const string Invoices = "invoice";

    public required string Name { get; set; }

    public long LastNumber { get; set; }
}

public enum InvoiceKind
{
    /// <summary>From the monthly close; one per tenant and month.</summary>
    Regular,

    /// <summary>Replaces (cancels) an earlier invoice of the same tenant and month.</summary>
    Correction,
}

/// <summary>
/// 適格請求書. Immutable once written (the catalog refuses updates and deletes of invoices); a correction is a
/// new invoice whose <see cref="CancelsInvoiceId"/> names the one it replaces. Issuer and recipient are copied
/// in, so later changes to the settings or the tenant do not alter issued documents.
/// </summary>
public sealed class Invoice
{
    public Guid Id { get; set; }

    public long SequenceNumber { get; set; }

    public required string Number { get; set; }

    public Guid TenantId { get; set; }

    public required string TenantCode { get; set; }

    /// <summary>Billing period, yyyyMM.</summary>
    public int Month { get; set; }

    public InvoiceKind Kind { get; set; }

    public Guid? CancelsInvoiceId { get; set; }

    public DateOnly IssueDate { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public DateOnly PeriodStart { get; set; }

    public DateOnly PeriodEnd { get; set; }

    /// <summary>The municipality's official name followed by 御中.</summary>
    public required string RecipientName { get; set; }

    public required string IssuerName { get; set; }

    public required string IssuerAddress { get; set; }

    public required string RegistrationNumber { get; set; }

    public Guid PlanId { get; set; }

    public required string PlanCode { get; set; }

    public TaxRounding Rounding { get; set; }

    public long Subtotal { get; set; }

    public long Tax { get; set; }

    public long Total { get; set; }

    public string? Note { get; set; }

    public List<InvoiceLine> Lines { get; init; } = [];

    public List<InvoiceTax> Taxes { get; init; } = [];
}

public sealed class InvoiceLine
{
    public Guid InvoiceId { get; set; }

    public int LineNumber { get; set; }

    public required string Code { get; set; }

    public required string Description { get; set; }

    public long Quantity { get; set; }

    public required string Unit { get; set; }

    public long UnitPrice { get; set; }

    public long Amount { get; set; }

    public int TaxRatePercent { get; set; }
}

/// <summary>Subtotal and tax of one rate on one invoice (tax rounded once per rate).</summary>
public sealed class InvoiceTax
{
    public Guid InvoiceId { get; set; }

    public int RatePercent { get; set; }

    public long Subtotal { get; set; }

    public long Tax { get; set; }
}
