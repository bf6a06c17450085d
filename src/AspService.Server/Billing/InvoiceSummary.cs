using AspService.Billing;
using AspService.Data.Billing;

namespace AspService.Server.Billing;

/// <summary>One of a tenant's invoices as its admins list them, with its Stripe payment state.</summary>
public sealed record InvoiceSummary(
    Guid Id, string Number, InvoiceKind Kind, string Month, DateOnly IssueDate, long Total, bool Cancelled, StripeInvoiceState? PaymentState, DateTimeOffset? PaidAt);
