using AspService.Billing;

namespace AspService.Server.Billing;

/// <summary>Close a JST month and issue its invoices (idempotent: a second close issues only what is missing).</summary>
public sealed record CloseMonthCommand(BillingMonth Month);
