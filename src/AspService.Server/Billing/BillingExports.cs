using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>The month's billing export for the provider's accounting (columns in docs/billing-export.md).</summary>
public sealed class BillingExports(CatalogDbContext catalog)
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "invoice_number", "kind", "cancels_invoice_number", "billing_month", "issue_date", "period_start", "period_end",
        "tenant_code", "recipient_name", "registration_number", "plan_code", "line_number", "item_code", "description",
        "quantity", "unit", "unit_price", "amount", "tax_rate_percent", "rate_subtotal", "rate_tax",
        "invoice_subtotal", "invoice_tax", "invoice_total", "currency",
    ];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// Shift_JIS that throws on a character it cannot represent, instead of writing '?'. .NET only ships
    /// Unicode encodings; the code-page provider must be registered before the first lookup.
    /// </summary>
    public static Encoding ShiftJis { get; } = CreateShiftJis();

    public static Encoding Utf8WithBom { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    public async Task<bool> IsClosedAsync(BillingMonth month, CancellationToken ct) =>
        await catalog.BillingCloses.AnyAsync(c => c.Month == month.Key, ct);

    /// <summary>Every invoice issued for the month (regular and corrections), in number order.</summary>
    public async Task<IReadOnlyList<InvoiceDto>> InvoicesAsync(BillingMonth month, CancellationToken ct)
    {
        var invoices = await catalog.Invoices.AsNoTracking().AsSplitQuery().Include(i => i.Lines).Include(i => i.Taxes)
            .Where(i => i.Month == month.Key).OrderBy(i => i.SequenceNumber).ToListAsync(ct);
        return WithLinks(invoices);
    }

    public static IReadOnlyList<InvoiceDto> WithLinks(IReadOnlyList<Invoice> invoices)
    {
        var numbers = invoices.ToDictionary(i => i.Id, i => i.Number);
        var cancelledBy = invoices.Where(i => i.CancelsInvoiceId is not null).ToDictionary(i => i.CancelsInvoiceId!.Value, i => i.Number);
        return [.. invoices.Select(i => InvoiceDto.From(i,
            i.CancelsInvoiceId is { } c ? numbers.GetValueOrDefault(c) : null,
            cancelledBy.GetValueOrDefault(i.Id)))];
    }

    /// <summary>One row per invoice line; the per-rate subtotal and tax are those of the line's rate.</summary>
    public static string Csv(IEnumerable<InvoiceDto> invoices)
    {
        ArgumentNullException.ThrowIfNull(invoices);
        var sb = new StringBuilder();
        sb.AppendJoin(',', Columns).Append("\r\n");
        foreach (var i in invoices)
        {
            foreach (var l in i.Lines)
            {
                var rate = i.Taxes.Single(t => t.RatePercent == l.TaxRatePercent);
                string[] row =
                [
                    i.Number, i.Kind.ToString(), i.CancelsInvoiceNumber ?? string.Empty, i.Month, Date(i.IssueDate), Date(i.PeriodStart), Date(i.PeriodEnd),
                    i.TenantCode, i.RecipientName, i.RegistrationNumber, i.PlanCode, Num(l.LineNumber), l.Code, l.Description,
                    Num(l.Quantity), l.Unit, Num(l.UnitPrice), Num(l.Amount), Num(l.TaxRatePercent), Num(rate.Subtotal), Num(rate.Tax),
                    Num(i.Subtotal), Num(i.Tax), Num(i.Total), i.Currency,
                ];
                sb.AppendJoin(',', row.Select(Common.Csv.Field)).Append("\r\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>The CSV bytes in the requested encoding (UTF-8 with BOM, or Shift_JIS).</summary>
    public static byte[] Encode(string text, Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        var preamble = encoding.GetPreamble();
        var body = encoding.GetBytes(text);
        return [.. preamble, .. body];
    }

    public static byte[] Json(BillingMonth month, IReadOnlyList<InvoiceDto> invoices) =>
        JsonSerializer.SerializeToUtf8Bytes(new InvoiceExportDto(month.ToString(), "JPY", invoices.Count, invoices), JsonOptions);

    private static Encoding CreateShiftJis()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("shift_jis", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
