namespace AspService.Data.Billing;

/// <summary>
/// A tenant's monthly usage report (CSV and PDF), made by the usage-reports job after the month's close. One row
/// per tenant and month (yyyyMM); making it again replaces the row. Reached through
/// <c>catalog.Set&lt;UsageReport&gt;()</c> (configured in <see cref="BillingModel"/>).
/// </summary>
public sealed class UsageReport
{
    public Guid TenantId { get; set; }

    public int Month { get; set; }

    /// <summary>UTF-8 with BOM; one row per JST day and a total row (columns in docs/billing-export.md).</summary>
    public required byte[] Csv { get; set; }

    public required byte[] Pdf { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
