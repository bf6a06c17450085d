using AspService.Data.Billing;

namespace AspService.Server.Billing;

/// <summary>One row of the operator's invoice list (a cancelled invoice is marked; its correction is another row).</summary>
public sealed record InvoiceListItemDto(
    Guid Id, string Number, InvoiceKind Kind, string Month, string TenantCode, string RecipientName, DateOnly IssueDate, long Total, bool Cancelled);
