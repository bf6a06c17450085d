using System.Globalization;

namespace AspService.Billing;

/// <summary>
/// Deterministic names for what the Stripe sync sends (docs/decisions/0022-stripe-flow.md). The same tenant,
/// month and operation always give the same string, so a retried sync repeats a request Stripe has seen
/// instead of making a new one.
/// </summary>
public static class StripeKeys
{
    public const string Prefix = "aspservice";

    /// <summary>Stripe accepts idempotency keys of up to 255 characters.</summary>
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>Stripe accepts meter event identifiers of up to 100 characters.</summary>
    public const int MaxIdentifierLength = 100;

    /// <summary>The one customer of a tenant: no period, a tenant has one customer for life.</summary>
    public static string Customer(Guid tenantId) => $"{Prefix}/{tenantId:N}/customer";

    /// <summary>
    /// <c>aspservice/{tenant}/{yyyyMM}/{operation}</c>. The operation names the invoice number where one is
    /// involved (<c>INV-00000007/item/2</c>), so a correction of the same month never reuses the original's keys.
    /// </summary>
    public static string Idempotency(Guid tenantId, BillingMonth month, string operation)
    {
        CheckOperation(operation);
        var key = string.Create(CultureInfo.InvariantCulture, $"{Prefix}/{tenantId:N}/{month.Key}/{operation}");
        return key.Length <= MaxIdempotencyKeyLength ? key : throw new ArgumentException("idempotency key too long", nameof(operation));
    }

    /// <summary>The meter event of one component in one month: <c>aspservice-{tenant}-{yyyyMM}-{component}</c>.</summary>
    public static string MeterIdentifier(Guid tenantId, BillingMonth month, string component)
    {
        CheckOperation(component);
        var id = string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{tenantId:N}-{month.Key}-{component}");
        return id.Length <= MaxIdentifierLength ? id : throw new ArgumentException("meter identifier too long", nameof(component));
    }

    private static void CheckOperation(string operation)
    {
        if (string.IsNullOrEmpty(operation) || !operation.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/' or '.'))
        {
            throw new ArgumentException("operations are ASCII letters, digits and - _ / .", nameof(operation));
        }
    }
}

/// <summary>Amounts as Stripe expects them: integers in the currency's smallest unit.</summary>
public static class StripeAmounts
{
    /// <summary>
    /// The yen amount as Stripe's <c>amount</c>. JPY is a zero-decimal currency, so ¥12,345 is <c>12345</c>
    /// (not 1234500 as it would be for cents).
    /// </summary>
    public static long Jpy(long yen) => yen;

    /// <summary>Stripe's zero-decimal currencies that this service may bill in (lower-case ISO codes).</summary>
    public static bool IsZeroDecimal(string currency) => currency is "jpy";
}

/// <summary>One Stripe invoice item: our line (or one rate's tax) with its amount in yen.</summary>
public sealed record StripeInvoiceItem(string Key, string Description, long Amount);

/// <summary>
/// The items of a Stripe invoice built from a qualified invoice: one per line, then one per tax rate with the
/// tax computed once per rate by us. Stripe computes no tax (it would round per line), so the Stripe total
/// equals the qualified invoice's total to the yen.
/// </summary>
public static class StripeInvoiceItems
{
    public static IReadOnlyList<StripeInvoiceItem> From(IReadOnlyList<PricedLine> lines, IReadOnlyList<TaxSubtotal> taxes)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(taxes);
        var ja = CultureInfo.GetCultureInfo("ja-JP");
        var items = new List<StripeInvoiceItem>(lines.Count + taxes.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var description = string.Create(ja, $"{l.Description}（{l.Quantity:N0}{l.Unit} × ¥{l.UnitPrice:N0}）");
            items.Add(new StripeInvoiceItem(string.Create(CultureInfo.InvariantCulture, $"line-{i + 1}"), description, StripeAmounts.Jpy(l.Amount)));
        }

        foreach (var t in taxes)
        {
            var description = string.Create(ja, $"消費税 {t.RatePercent}%（{t.RatePercent}%対象 ¥{t.Subtotal:N0}）");
            items.Add(new StripeInvoiceItem(string.Create(CultureInfo.InvariantCulture, $"tax-{t.RatePercent}"), description, StripeAmounts.Jpy(t.Tax)));
        }

        return items;
    }
}

/// <summary>Meter events for the metered components of a month (the base fee is not metered).</summary>
public static class StripeMeters
{
    /// <summary>Stripe accepts meter events up to 35 days old; an hour of margin for clock skew.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(35) - TimeSpan.FromHours(1);

    public static readonly IReadOnlyList<string> Components = [PlanPricing.OfficeTerminals, PlanPricing.ActiveUsers, PlanPricing.ExtraHours];

    /// <summary>
    /// When a month's usage is reported: the month's last second (JST), so Stripe attributes it to that month.
    /// Null when that is older than Stripe accepts: the events are then skipped, not sent with a wrong time.
    /// </summary>
    public static DateTimeOffset? Timestamp(BillingMonth month, DateTimeOffset now)
    {
        var at = month.End.AddSeconds(-1);
        return now - at <= MaxAge && at <= now ? at : null;
    }

    /// <summary>
    /// The metered lines of an invoice as (component, quantity), in invoice order. Zero quantities are left out:
    /// they add nothing to a meter's sum, and an event must carry a usage to be worth sending.
    /// </summary>
    public static IReadOnlyList<(string Component, long Quantity)> Quantities(IEnumerable<PricedLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return [.. lines.Where(l => Components.Contains(l.Code) && l.Quantity > 0).Select(l => (l.Code, l.Quantity))];
    }
}

/// <summary>Payment state of a Stripe invoice as our catalog keeps it.</summary>
public enum StripeInvoiceState
{
    /// <summary>Nothing created in Stripe yet.</summary>
    Pending,

    /// <summary>Draft invoice created; items being added.</summary>
    Draft,

    /// <summary>Finalized, awaiting payment.</summary>
    Open,

    PaymentFailed,

    Paid,

    /// <summary>Voided because our invoice was corrected.</summary>
    Void,
}

/// <summary>How webhook events move the payment state. Paid and Void are final; events arrive in any order.</summary>
public static class StripePayments
{
    public const string InvoicePaid = "invoice.paid";
    public const string InvoicePaymentFailed = "invoice.payment_failed";

    public static bool IsHandled(string? eventType) => eventType is InvoicePaid or InvoicePaymentFailed;

    /// <summary>The state after the event, or null when the event changes nothing (repeat, late or unknown).</summary>
    public static StripeInvoiceState? Next(StripeInvoiceState current, string? eventType) => (current, eventType) switch
    {
        (StripeInvoiceState.Paid or StripeInvoiceState.Void, _) => null,
        (_, InvoicePaid) => StripeInvoiceState.Paid,
        (StripeInvoiceState.PaymentFailed, InvoicePaymentFailed) => null,
        (StripeInvoiceState.Open or StripeInvoiceState.Draft, InvoicePaymentFailed) => StripeInvoiceState.PaymentFailed,
        _ => null,
    };
}
