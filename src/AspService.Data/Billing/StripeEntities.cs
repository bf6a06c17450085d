using AspService.Billing;

namespace AspService.Data.Billing;

/// <summary>
/// A tenant's Stripe settings (optional; most municipalities pay by bank transfer against the PDF). The
/// customer id is kept once created, also while Stripe is disabled, so enabling again reuses the customer.
/// </summary>
public sealed class TenantStripeAccount
{
    public Guid TenantId { get; set; }

    public bool Enabled { get; set; }

    /// <summary>Stripe's customer id (<c>cus_…</c>), set by the first sync.</summary>
    public string? CustomerId { get; set; }

    /// <summary>Where Stripe sends the invoice (the municipality's accounting office), if given.</summary>
    public string? BillingEmail { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int Version { get; set; }
}

/// <summary>
/// Progress of one qualified invoice through Stripe, one row per invoice. Each step is saved as soon as Stripe
/// confirms it, so a rerun skips what is done and repeats only the unfinished step with the same idempotency
/// key. Kept apart from the invoice, which is immutable.
/// </summary>
public sealed class StripeInvoiceSync
{
    public Guid InvoiceId { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>Billing period, yyyyMM.</summary>
    public int Month { get; set; }

    public required string InvoiceNumber { get; set; }

    public required string CustomerId { get; set; }

    /// <summary>When the month's meter events were sent (or found too old to send).</summary>
    public DateTimeOffset? MeterEventsAt { get; set; }

    public bool MeterEventsSkipped { get; set; }

    /// <summary>Stripe's invoice id (<c>in_…</c>) once the draft exists.</summary>
    public string? StripeInvoiceId { get; set; }

    /// <summary>How many invoice items (lines, then taxes) Stripe has confirmed, in order.</summary>
    public int ItemsCreated { get; set; }

    public DateTimeOffset? FinalizedAt { get; set; }

    /// <summary>Amount due as Stripe reported it at finalization (yen).</summary>
    public long? AmountDue { get; set; }

    public StripeInvoiceState State { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>The last webhook event that changed the state (<c>evt_…</c>).</summary>
    public string? LastEventId { get; set; }

    /// <summary>The last failure (Stripe's error type and code, or the kind of network failure); null after success.</summary>
    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int Version { get; set; }
}
