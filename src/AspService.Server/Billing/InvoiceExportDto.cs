namespace AspService.Server.Billing;

/// <summary>A closed month's invoices as the JSON export writes them.</summary>
public sealed record InvoiceExportDto(string Month, string Currency, int Count, IReadOnlyList<InvoiceDto> Invoices);
