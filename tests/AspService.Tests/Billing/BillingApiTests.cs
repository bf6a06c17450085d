using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Server.Billing;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace AspService.Tests.Billing;

/// <summary>Billing through the operator API on real SQLite databases; each test gets its own host and catalog.</summary>
public sealed class BillingApiTests : IDisposable
{
    public const string Registration = "T7123456789012";
    private readonly AppFactory _app = new(settings: Settings());

    public static Dictionary<string, string?> Settings(string registration = Registration) => new()
    {
        ["Billing:IssuerName"] = "株式会社テストASP",
        ["Billing:IssuerAddress"] = "東京都千代田区霞が関一丁目1番1号",
        ["Billing:RegistrationNumber"] = registration,
    };

    public void Dispose() => _app.Dispose();

    private static object PlanBody(string code, string from, string? until = null, long baseFee = 30000, long perTerminal = 1500, long perUser = 800, int included = 100, long perExtraHour = 200) =>
        new { code, name = "標準プラン " + code, effectiveFrom = from, effectiveUntil = until, baseFee, perOfficeTerminal = perTerminal, perActiveUser = perUser, includedSessionHours = included, perExtraHour };

    private async Task<(HttpClient Ops, TenantDto Tenant)> TenantOnPlanAsync(string planCode = "standard", string assignedFrom = "2026-04-01", HttpClient? ops = null)
    {
        ops ??= await _app.OperatorClientAsync();
        var plans = await ops.GetFromJsonAsync<JsonElement>($"/api/v1/ops/billing/plans?code={planCode}");
        if (plans.GetArrayLength() == 0)
        {
            (await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", PlanBody(planCode, "2026-01-01"))).EnsureSuccessStatusCode();
        }

        var tenant = await _app.OnboardTenantAsync(ops);
        (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/plans", new { planCode, effectiveFrom = assignedFrom })).EnsureSuccessStatusCode();
        return (ops, tenant);
    }

    private async Task SetUsageAsync(Guid tenantId, BillingMonth month, int terminals, int users, long seconds)
    {
        var rollups = _app.Services.GetRequiredService<UsageRollups>();
        await rollups.UpsertDailyAsync(tenantId, [new UsageRollups.Day(month.FirstDay, terminals, users, 1, seconds)], CancellationToken.None);
        await rollups.RecomputeMonthAsync(tenantId, month, users, CancellationToken.None);
    }

    private static async Task<JsonElement> CloseAsync(HttpClient ops, string month)
    {
        var response = await ops.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement[]> InvoicesAsync(HttpClient ops, string month) =>
        [.. (await ops.GetFromJsonAsync<JsonElement>($"/api/v1/ops/billing/invoices?month={month}")).EnumerateArray()];

    private static async Task<JsonElement> InvoiceAsync(HttpClient ops, JsonElement summary) =>
        await ops.GetFromJsonAsync<JsonElement>($"/api/v1/ops/billing/invoices/{summary.GetProperty("id").GetGuid()}");

    [Fact]
    public async Task Close_ZeroUsageTenant_GetsBaseFeeWithTaxAndRecipient()
    {
        var (ops, tenant) = await TenantOnPlanAsync();

        var result = await CloseAsync(ops, "2026-10");

        Assert.Equal(1, result.GetProperty("issued").GetInt32());
        var invoice = await InvoiceAsync(ops, Assert.Single(await InvoicesAsync(ops, "2026-10")));
        Assert.Equal(tenant.Name + " 御中", invoice.GetProperty("recipientName").GetString());
        Assert.Equal(Registration, invoice.GetProperty("registrationNumber").GetString());
        Assert.Equal("INV-00000001", invoice.GetProperty("number").GetString());
        Assert.Equal("2026-10-01", invoice.GetProperty("periodStart").GetString());
        Assert.Equal("2026-10-31", invoice.GetProperty("periodEnd").GetString());
        Assert.Equal("2026-11-26", invoice.GetProperty("issueDate").GetString()); // 12:00 JST on the 26th
        Assert.Equal(30000, invoice.GetProperty("subtotal").GetInt64());
        Assert.Equal(3000, invoice.GetProperty("tax").GetInt64());
        Assert.Equal(33000, invoice.GetProperty("total").GetInt64());
        var lines = invoice.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(30000, lines.Single(l => l.GetProperty("code").GetString() == PlanPricing.BaseFee).GetProperty("amount").GetInt64());
        Assert.All(lines.Where(l => l.GetProperty("code").GetString() != PlanPricing.BaseFee), l => Assert.Equal(0, l.GetProperty("amount").GetInt64()));
    }

    [Fact]
    public async Task Close_WithUsage_TaxOncePerRateOnTheInvoiceTotal()
    {
        var (ops, tenant) = await TenantOnPlanAsync();
        await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", PlanBody("odd", "2026-01-01", baseFee: 1009, perTerminal: 1009, perUser: 1009, included: 0, perExtraHour: 0));
        (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/plans", new { planCode = "odd", effectiveFrom = "2026-09-01" })).EnsureSuccessStatusCode();
        await SetUsageAsync(tenant.Id, new BillingMonth(2026, 10), terminals: 1, users: 1, seconds: 0);

        await CloseAsync(ops, "2026-10");

        // Per line the tax would be 100 + 100 + 100 = 300; once on 3,027 it is 302 (rounded down).
        var invoice = await InvoiceAsync(ops, Assert.Single(await InvoicesAsync(ops, "2026-10")));
        Assert.Equal(3027, invoice.GetProperty("subtotal").GetInt64());
        Assert.Equal(302, invoice.GetProperty("tax").GetInt64());
        var tax = Assert.Single(invoice.GetProperty("taxes").EnumerateArray());
        Assert.Equal(10, tax.GetProperty("ratePercent").GetInt32());
        Assert.Equal(302, tax.GetProperty("tax").GetInt64());
    }

    [Fact]
    public async Task Close_PlanChangedMidMonth_PlanOnLastDayAppliesToWholeMonth()
    {
        var (ops, tenant) = await TenantOnPlanAsync();
        await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", PlanBody("premium", "2026-01-01", baseFee: 50000, perTerminal: 1000, perUser: 0, included: 200, perExtraHour: 100));
        (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/plans", new { planCode = "premium", effectiveFrom = "2026-10-15" })).EnsureSuccessStatusCode();
        await SetUsageAsync(tenant.Id, new BillingMonth(2026, 9), terminals: 4, users: 10, seconds: (100 * 3600) + 1);
        await SetUsageAsync(tenant.Id, new BillingMonth(2026, 10), terminals: 4, users: 10, seconds: (201 * 3600) + 1);

        await CloseAsync(ops, "2026-09");
        await CloseAsync(ops, "2026-10");

        var september = await InvoiceAsync(ops, Assert.Single(await InvoicesAsync(ops, "2026-09")));
        Assert.Equal("standard", september.GetProperty("planCode").GetString());
        Assert.Equal(30000 + (4 * 1500) + (10 * 800) + 200, september.GetProperty("subtotal").GetInt64());
        var october = await InvoiceAsync(ops, Assert.Single(await InvoicesAsync(ops, "2026-10")));
        Assert.Equal("premium", october.GetProperty("planCode").GetString());
        Assert.Equal(50000 + (4 * 1000) + (2 * 100), october.GetProperty("subtotal").GetInt64());
    }

    [Fact]
    public async Task Close_RunTwice_SameInvoicesAndNumbers_NewTenantGetsNextNumber()
    {
        var (ops, first) = await TenantOnPlanAsync();
        var (_, second) = await TenantOnPlanAsync(ops: ops);
        var before = await CloseAsync(ops, "2026-10");
        var invoicesBefore = await InvoicesAsync(ops, "2026-10");

        var again = await CloseAsync(ops, "2026-10");

        Assert.Equal(2, before.GetProperty("issued").GetInt32());
        Assert.Equal(0, again.GetProperty("issued").GetInt32());
        Assert.Equal(2, again.GetProperty("invoices").GetInt32());
        var invoicesAfter = await InvoicesAsync(ops, "2026-10");
        Assert.Equal(invoicesBefore.Select(i => i.GetRawText()), invoicesAfter.Select(i => i.GetRawText()));
        // Numbers follow tenant code order, from one gap-free counter.
        var ordered = new[] { first, second }.OrderBy(t => t.Code, StringComparer.Ordinal).Select(t => t.Code);
        Assert.Equal(ordered, invoicesAfter.Select(i => i.GetProperty("tenantCode").GetString()));
        Assert.Equal(["INV-00000001", "INV-00000002"], invoicesAfter.Select(i => i.GetProperty("number").GetString()));

        var (_, third) = await TenantOnPlanAsync(ops: ops);
        var late = await CloseAsync(ops, "2026-10");
        Assert.Equal(1, late.GetProperty("issued").GetInt32());
        Assert.Equal("INV-00000003", (await InvoicesAsync(ops, "2026-10")).Single(i => i.GetProperty("tenantCode").GetString() == third.Code).GetProperty("number").GetString());
    }

    [Theory]
    [InlineData("2026-11")] // the clock is 26 November 2026
    [InlineData("2027-01")]
    public async Task Close_MonthNotEnded_409AndNothingIssued(string month)
    {
        var (ops, _) = await TenantOnPlanAsync();

        var response = await ops.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month });

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains(month, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Empty(await InvoicesAsync(ops, month));
        Assert.Equal(0, (await ops.GetFromJsonAsync<JsonElement>("/api/v1/ops/billing/closes")).GetArrayLength());
    }

    [Fact]
    public async Task Close_MonthEndsAtJstMidnight_NotAtUtcMidnight()
    {
        _app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 14, 59, 59, TimeSpan.Zero)); // 23:59:59 JST
        var (ops, _) = await TenantOnPlanAsync();

        await HttpAssert.ProblemAsync(await ops.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month = "2026-11" }), HttpStatusCode.Conflict);
        _app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await CloseAsync(ops, "2026-11")).GetProperty("issued").GetInt32());
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("oct")]
    [InlineData("")]
    public async Task Close_BadMonth_400NamesMonth(string month)
    {
        var ops = await _app.OperatorClientAsync();
        var problem = await HttpAssert.ProblemAsync(await ops.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "month"));
    }

    [Fact]
    public async Task Correction_NewInvoiceCancelsOld_BothKept_SecondCorrection409()
    {
        var (ops, tenant) = await TenantOnPlanAsync();
        await CloseAsync(ops, "2026-10");
        var original = Assert.Single(await InvoicesAsync(ops, "2026-10"));
        await SetUsageAsync(tenant.Id, new BillingMonth(2026, 10), terminals: 3, users: 0, seconds: 0);

        var response = await ops.PostAsJsonAsync($"/api/v1/ops/billing/invoices/{original.GetProperty("id").GetGuid()}/corrections", new { note = "端末数の訂正" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var correction = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Correction", correction.GetProperty("kind").GetString());
        Assert.Equal("INV-00000002", correction.GetProperty("number").GetString());
        Assert.Equal("INV-00000001", correction.GetProperty("cancelsInvoiceNumber").GetString());
        Assert.Equal(30000 + 4500, correction.GetProperty("subtotal").GetInt64());
        var old = await InvoiceAsync(ops, original);
        Assert.Equal(33000, old.GetProperty("total").GetInt64()); // unchanged
        Assert.Equal("INV-00000002", old.GetProperty("cancelledByInvoiceNumber").GetString());
        Assert.Equal(2, (await InvoicesAsync(ops, "2026-10")).Length);

        var twice = await ops.PostAsJsonAsync($"/api/v1/ops/billing/invoices/{original.GetProperty("id").GetGuid()}/corrections", new { note = (string?)null });
        await HttpAssert.ProblemAsync(twice, HttpStatusCode.Conflict);
        Assert.Equal(2, (await InvoicesAsync(ops, "2026-10")).Length);
        // Closing again does not re-issue anything for the corrected tenant.
        Assert.Equal(0, (await CloseAsync(ops, "2026-10")).GetProperty("issued").GetInt32());
    }

    [Fact]
    public async Task Invoice_UpdateThroughCatalog_Refused()
    {
        var (ops, _) = await TenantOnPlanAsync();
        await CloseAsync(ops, "2026-10");
        using var scope = _app.Services.CreateScope();
        var catalog = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var invoice = await catalog.Invoices.SingleAsync();

        invoice.Total = 1;

        await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.SaveChangesAsync());
    }

    [Fact]
    public async Task Export_MonthNotClosed_409()
    {
        var (ops, _) = await TenantOnPlanAsync();
        await HttpAssert.ProblemAsync(await ops.GetAsync("/api/v1/ops/billing/exports/2026-10/invoices.csv"), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await ops.GetAsync("/api/v1/ops/billing/exports/2026-10/invoices.json"), HttpStatusCode.Conflict);
        var bad = await HttpAssert.ProblemAsync(await ops.GetAsync("/api/v1/ops/billing/exports/2026-10/invoices.csv?encoding=latin1"), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(bad, "encoding"));
    }

    [Fact]
    public async Task Export_CsvUtf8WithBom_ShiftJisDecodesToSameText_JsonHasInvoices()
    {
        var (ops, tenant) = await TenantOnPlanAsync();
        await SetUsageAsync(tenant.Id, new BillingMonth(2026, 10), terminals: 2, users: 5, seconds: 3600);
        await CloseAsync(ops, "2026-10");

        var utf8 = await ops.GetAsync("/api/v1/ops/billing/exports/2026-10/invoices.csv");
        var sjis = await ops.GetAsync("/api/v1/ops/billing/exports/2026-10/invoices.csv?encoding=shift_jis");
        var json = await ops.GetFromJsonAsync<JsonElement>("/api/v1/ops/billing/exports/2026-10/invoices.json");

        var utf8Bytes = await utf8.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], utf8Bytes[..3]);
        var utf8Text = new UTF8Encoding(false).GetString(utf8Bytes[3..]);
        var sjisText = BillingExports.ShiftJis.GetString(await sjis.Content.ReadAsByteArrayAsync());
        Assert.Equal(utf8Text, sjisText);
        var rows = utf8Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', BillingExports.Columns), rows[0]);
        Assert.Equal(5, rows.Length); // header + four component lines
        Assert.Contains(rows, r => r.Contains(tenant.Name + " 御中", StringComparison.Ordinal) && r.Contains("月額基本料", StringComparison.Ordinal));
        Assert.Equal(1, json.GetProperty("count").GetInt32());
        Assert.Equal(tenant.Code, json.GetProperty("invoices")[0].GetProperty("tenantCode").GetString());
    }

    [Fact]
    public async Task Pdf_TextHasRegistrationNumberRateSubtotalTaxAndMunicipality()
    {
        var (ops, tenant) = await TenantOnPlanAsync();
        await SetUsageAsync(tenant.Id, new BillingMonth(2026, 10), terminals: 2, users: 5, seconds: 3600);
        await CloseAsync(ops, "2026-10");
        var summary = Assert.Single(await InvoicesAsync(ops, "2026-10"));

        var response = await ops.GetAsync($"/api/v1/ops/billing/invoices/{summary.GetProperty("id").GetGuid()}/pdf");

        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var text = string.Concat(pdf.GetPages().Select(p => p.Text));
        Assert.Contains("登録番号", text, StringComparison.Ordinal);
        Assert.Contains(Registration, text, StringComparison.Ordinal);
        Assert.Contains(tenant.Name, text, StringComparison.Ordinal);
        Assert.Contains("御中", text, StringComparison.Ordinal);
        // 30,000 + 2 × 1,500 + 5 × 800 = 37,000 at 10%: tax 3,700.
        Assert.Contains("10%対象", text, StringComparison.Ordinal);
        Assert.Contains("¥37,000", text, StringComparison.Ordinal);
        Assert.Contains("¥3,700", text, StringComparison.Ordinal);
        Assert.Contains("¥40,700", text, StringComparison.Ordinal);
        // The issue date and the period in 西暦 and 和暦.
        var issued = DateOnly.Parse(summary.GetProperty("issueDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"{issued.Year}年{issued.Month}月{issued.Day}日（{Wareki.Format(issued)}）", text, StringComparison.Ordinal);
        Assert.Contains("2026年10月1日 〜 2026年10月31日", text, StringComparison.Ordinal);
        Assert.Contains("令和8年10月1日 〜 令和8年10月31日", text, StringComparison.Ordinal);
    }
}
