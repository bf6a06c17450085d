namespace AspService.Server.Billing;

/// <summary>A closed month as the operator API lists it.</summary>
public sealed record CloseDto(string Month, DateTimeOffset ClosedAt, DateTimeOffset UpdatedAt, int InvoiceCount);
