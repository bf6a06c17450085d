using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Billing;
using AspService.Server.Billing;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace AspService.Tests.Billing;

/// <summary>Tenant admins' own billing views (/t/{code}/api/v1/billing/…), including the cross-tenant checks.</summary>
public sealed class TenantBillingTests : IDisposable
{
    private readonly AppFactory _app = new(settings: BillingApiTests.Settings());

    public void Dispose() => _app.Dispose();

    private async Task<(HttpClient Ops, TenantSession A, TenantSession B)> TwoBilledTenantsAsync()
    {
        var ops = await _app.OperatorClientAsync();
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", new
        {
            code = "standard", name = "標準", effectiveFrom = "2026-01-01", baseFee = 30000, perOfficeTerminal = 1500,
            perActiveUser = 800, includedSessionHours = 100, perExtraHour = 200,
        })).EnsureSuccessStatusCode();
        var a = await _app.TenantAdminAsync(ops);
        var b = await _app.TenantAdminAsync(ops);
        foreach (var t in new[] { a, b })
        {
            (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{t.Tenant.Code}/plans", new { planCode = "standard", effectiveFrom = "2026-04-01" })).EnsureSuccessStatusCode();
        }

        var rollups = _app.Services.GetRequiredService<UsageRollups>();
        await rollups.UpsertDailyAsync(a.Tenant.Id, [new UsageRollups.Day(new DateOnly(2026, 10, 5), 3, 4, 6, 7200)], CancellationToken.None);
        await rollups.RecomputeMonthAsync(a.Tenant.Id, new BillingMonth(2026, 10), 4, CancellationToken.None);
        await rollups.UpsertDailyAsync(a.Tenant.Id, [new UsageRollups.Day(new DateOnly(2026, 11, 2), 3, 2, 2, 1800), new UsageRollups.Day(new DateOnly(2026, 11, 3), 3, 1, 1, 600)], CancellationToken.None);
        await rollups.RecomputeMonthAsync(a.Tenant.Id, new BillingMonth(2026, 11), 2, CancellationToken.None);
        await rollups.UpsertDailyAsync(b.Tenant.Id, [new UsageRollups.Day(new DateOnly(2026, 10, 5), 9, 9, 9, 99999)], CancellationToken.None);
        await rollups.RecomputeMonthAsync(b.Tenant.Id, new BillingMonth(2026, 10), 9, CancellationToken.None);
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month = "2026-10" })).EnsureSuccessStatusCode();
        return (ops, a, b);
    }

    private static async Task<JsonElement[]> InvoicesAsync(TenantSession s) =>
        [.. (await s.Client.GetFromJsonAsync<JsonElement>(s.Url("/api/v1/billing/invoices"))).EnumerateArray()];

    [Fact]
    public async Task Usage_DefaultIsThisMonthSoFarWithDaysAndPastMonths_FiscalYearAprilToMarch()
    {
        var (_, a, _) = await TwoBilledTenantsAsync();

        var usage = await a.Client.GetFromJsonAsync<JsonElement>(a.Url("/api/v1/billing/usage"));
        var fiscal = await a.Client.GetFromJsonAsync<JsonElement>(a.Url("/api/v1/billing/usage?fiscalYear=2026"));
        var october = await a.Client.GetFromJsonAsync<JsonElement>(a.Url("/api/v1/billing/usage?month=2026-10"));

        Assert.Equal("2026-11", usage.GetProperty("currentMonth").GetString());
        var months = usage.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(12, months.Count);
        Assert.Equal("2025-12", months[0].GetProperty("month").GetString());
        Assert.Equal("2026-11", months[^1].GetProperty("month").GetString());
        Assert.Equal(2400, months[^1].GetProperty("sessionSeconds").GetInt64());
        Assert.Equal(7200, months[^2].GetProperty("sessionSeconds").GetInt64());
        Assert.Equal(["2026-11-02", "2026-11-03"], usage.GetProperty("daily").EnumerateArray().Select(d => d.GetProperty("day").GetString()));
        Assert.All(months, m => Assert.Equal(a.Tenant.Code, m.GetProperty("tenantCode").GetString()));

        var fiscalMonths = fiscal.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("month").GetString()).ToList();
        Assert.Equal("2026-04", fiscalMonths[0]);
        Assert.Equal("2027-03", fiscalMonths[^1]);
        Assert.Equal(9600, fiscal.GetProperty("totals").GetProperty("sessionSeconds").GetInt64());
        Assert.Equal(2026, fiscal.GetProperty("fiscalYear").GetInt32());

        Assert.Equal(4, october.GetProperty("months")[0].GetProperty("activeUsers").GetInt32());
        Assert.Single(october.GetProperty("daily").EnumerateArray());
    }

    [Theory]
    [InlineData("?fiscalYear=1999", "fiscalYear")]
    [InlineData("?month=2026-13", "month")]
    [InlineData("?month=2026-10&fiscalYear=2026", "month")]
    [InlineData("?fiscalYear=abc", "fiscalYear")]
    public async Task Usage_BadQuery_400NamesField(string query, string field)
    {
        var a = await _app.TenantAdminAsync();

        var problem = await HttpAssert.ProblemAsync(await a.Client.GetAsync(a.Url("/api/v1/billing/usage" + query)), HttpStatusCode.BadRequest);

        Assert.NotEmpty(HttpAssert.FieldErrors(problem, field));
    }

    [Fact]
    public async Task Invoices_OwnListDetailAndPdf()
    {
        var (_, a, _) = await TwoBilledTenantsAsync();

        var list = await InvoicesAsync(a);
        var summary = Assert.Single(list);
        var id = summary.GetProperty("id").GetGuid();
        var detail = await a.Client.GetFromJsonAsync<JsonElement>(a.Url($"/api/v1/billing/invoices/{id}"));
        var pdf = await a.Client.GetAsync(a.Url($"/api/v1/billing/invoices/{id}/pdf"));

        Assert.Equal("2026-10", summary.GetProperty("month").GetString());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("paymentState").ValueKind);
        Assert.Equal(a.Tenant.Name + " 御中", detail.GetProperty("recipientName").GetString());
        Assert.Equal(30000 + (3 * 1500) + (4 * 800), detail.GetProperty("subtotal").GetInt64());
        Assert.Equal(summary.GetProperty("total").GetInt64(), detail.GetProperty("total").GetInt64());
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        using var document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains(a.Tenant.Name, string.Concat(document.GetPages().Select(p => p.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrossTenant_AdminOfACannotSeeOrDownloadBsInvoice()
    {
        var (_, a, b) = await TwoBilledTenantsAsync();
        var bInvoice = Assert.Single(await InvoicesAsync(b)).GetProperty("id").GetGuid();

        var listA = await InvoicesAsync(a);
        var detail = await a.Client.GetAsync(a.Url($"/api/v1/billing/invoices/{bInvoice}"));
        var pdf = await a.Client.GetAsync(a.Url($"/api/v1/billing/invoices/{bInvoice}/pdf"));
        // A's session cookie presented on B's path is not B's admin.
        var onB = await a.Client.GetAsync(b.Url($"/api/v1/billing/invoices/{bInvoice}"));
        var usageOnB = await a.Client.GetAsync(b.Url("/api/v1/billing/usage"));

        Assert.DoesNotContain(listA, i => i.GetProperty("id").GetGuid() == bInvoice);
        await HttpAssert.ProblemAsync(detail, HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(pdf, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, onB.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, usageOnB.StatusCode);
        var usageA = await a.Client.GetFromJsonAsync<JsonElement>(a.Url("/api/v1/billing/usage?month=2026-10"));
        Assert.Equal(4, usageA.GetProperty("months")[0].GetProperty("activeUsers").GetInt32()); // A's 4, never B's 9
    }

    [Fact]
    public async Task StaffGet403_Anonymous401_OutsideATenant404()
    {
        var (_, a, _) = await TwoBilledTenantsAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(a);
        var id = Assert.Single(await InvoicesAsync(a)).GetProperty("id").GetGuid();
        var anonymous = _app.ClientFor();

        foreach (var path in new[] { "/api/v1/billing/usage", "/api/v1/billing/invoices", $"/api/v1/billing/invoices/{id}", $"/api/v1/billing/invoices/{id}/pdf" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url(path))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(a.Url(path))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(path)).StatusCode);
        }
    }
}
