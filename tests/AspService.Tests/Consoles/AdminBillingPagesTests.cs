using System.Net;
using System.Net.Http.Json;
using AspService.Billing;
using AspService.Server.Billing;
using AspService.Tests.Billing;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace AspService.Tests.Consoles;

/// <summary>The administrators' usage (by month and 年度) and invoice screens, with the PDF, over the real billing close.</summary>
public sealed class AdminBillingPagesTests : IDisposable
{
    private readonly AppFactory _app = new(settings: BillingApiTests.Settings());

    public void Dispose() => _app.Dispose();

    private async Task<(TenantSession A, TenantSession B)> TwoBilledTenantsAsync()
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
        await rollups.UpsertDailyAsync(a.Tenant.Id, [new UsageRollups.Day(new DateOnly(2026, 11, 2), 3, 2, 2, 1800)], CancellationToken.None);
        await rollups.RecomputeMonthAsync(a.Tenant.Id, new BillingMonth(2026, 11), 2, CancellationToken.None);
        await rollups.UpsertDailyAsync(a.Tenant.Id, [new UsageRollups.Day(new DateOnly(2026, 3, 9), 1, 1, 5, 3600)], CancellationToken.None);
        await rollups.RecomputeMonthAsync(a.Tenant.Id, new BillingMonth(2026, 3), 1, CancellationToken.None);
        await rollups.UpsertDailyAsync(b.Tenant.Id, [new UsageRollups.Day(new DateOnly(2026, 10, 5), 9, 9, 9, 99999)], CancellationToken.None);
        await rollups.RecomputeMonthAsync(b.Tenant.Id, new BillingMonth(2026, 10), 9, CancellationToken.None);
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month = "2026-10" })).EnsureSuccessStatusCode();
        return (a, b);
    }

    private static string Row(AngleSharp.Html.Dom.IHtmlDocument page, string month) =>
        string.Join('|', page.QuerySelectorAll("main tbody tr").Single(r => r.QuerySelector("th")!.TextContent.Contains(month, StringComparison.Ordinal))
            .QuerySelectorAll("td").Select(td => td.TextContent.Trim()));

    [Fact]
    public async Task Usage_LastTwelveMonthsAndFiscalYear_OwnTenantOnly()
    {
        var (a, b) = await TwoBilledTenantsAsync();

        var recent = await a.GetHtmlAsync("/admin/usage");
        Assert.Equal(12, recent.QuerySelectorAll("main tbody tr").Length);
        Assert.Equal("3|4|6|2 時間 0 分", Row(recent, "2026年10月"));
        Assert.Equal("3|2|2|0 時間 30 分", Row(recent, "2026年11月"));
        Assert.Contains("集計中", recent.QuerySelectorAll("main tbody tr")[^1].TextContent, StringComparison.Ordinal);
        Assert.Equal("2026年11月", recent.QuerySelectorAll("main tbody tr")[^1].QuerySelector("th")!.ChildNodes[0].TextContent.Trim());

        // 年度 2025 is April 2025 – March 2026: March 2026 is in it, October 2026 is not.
        var fy2025 = await a.GetHtmlAsync("/admin/usage?fy=2025");
        var months = fy2025.QuerySelectorAll("main tbody tr th").Select(th => th.ChildNodes[0].TextContent.Trim()).ToList();
        Assert.Equal("2025年4月", months[0]);
        Assert.Equal("2026年3月", months[^1]);
        Assert.Equal("2025年度（令和7年度）の利用実績", fy2025.QuerySelector("main caption")!.TextContent.Trim());
        Assert.Equal("1|1|5|1 時間 0 分", Row(fy2025, "2026年3月"));
        Assert.Equal("―|―|5|1 時間 0 分", string.Join('|', fy2025.QuerySelectorAll("main tfoot td").Select(td => td.TextContent.Trim())));
        Assert.Equal("―|―|8|2 時間 30 分", string.Join('|', (await a.GetHtmlAsync("/admin/usage?fy=2026")).QuerySelectorAll("main tfoot td").Select(td => td.TextContent.Trim())));

        Assert.Equal("9|9|9|27 時間 46 分", Row(await b.GetHtmlAsync("/admin/usage"), "2026年10月"));
        Assert.DoesNotContain("27 時間 46 分", (await a.GetHtmlAsync("/admin/usage")).Body!.TextContent, StringComparison.Ordinal);

        // English on request: the same page in clean English.
        a.Cookies.Values[".AspNetCore.Culture"] = Uri.EscapeDataString("c=en|uic=en");
        var english = await a.GetHtmlAsync("/admin/usage");
        Assert.Equal("Usage", english.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("3|4|6|2 h 0 min", Row(english, "2026-10"));
        Assert.DoesNotContain("利用状況", english.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(english.QuerySelectorAll("#fy option"), o => o.TextContent == "FY2026");
        Assert.DoesNotContain("令和", english.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoices_ListAndPdf_StaffForbidden_SignedOutToSignIn_AnotherTenantsInvoiceNotFound()
    {
        var (a, b) = await TwoBilledTenantsAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(a);

        var page = await a.GetHtmlAsync("/admin/invoices");
        var row = page.QuerySelectorAll("main tbody tr").Single();
        var number = row.QuerySelector("code")!.TextContent;
        var text = string.Join(' ', row.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("2026年10月", text, StringComparison.Ordinal);
        Assert.Contains("2026年度（令和8年度）", text, StringComparison.Ordinal);
        Assert.Contains("通常", text, StringComparison.Ordinal);
        Assert.Contains("発行済み", text, StringComparison.Ordinal);
        var expected = (30000 + (3 * 1500) + (4 * 800)) * 110 / 100;
        Assert.Contains(expected.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture) + " 円", text, StringComparison.Ordinal);

        var link = row.QuerySelector("a[download]")!;
        Assert.Equal($"{number} の PDF をダウンロード", link.TextContent.Trim());
        var pdf = await a.Client.GetAsync(link.GetAttribute("href"));
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        using (var document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync()))
        {
            Assert.Contains(a.Tenant.Name, string.Concat(document.GetPages().Select(p => p.Text)), StringComparison.Ordinal);
        }

        // B's invoice id on A's page: not found. Staff: 403. Signed out: sign-in.
        var bLink = (await b.GetHtmlAsync("/admin/invoices")).QuerySelector("main a[download]")!.GetAttribute("href")!;
        var bId = bLink[(bLink.IndexOf("id=", StringComparison.Ordinal) + 3)..];
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.GetAsync(a.Url($"/admin/invoices?handler=pdf&id={bId}"))).StatusCode);
        Assert.DoesNotContain(bId, await a.Client.GetStringAsync(a.Url("/admin/invoices")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url("/admin/invoices"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(link.GetAttribute("href"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url("/admin/usage"))).StatusCode);
        using var anonymous = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var path in new[] { "/admin/invoices", "/admin/usage" })
        {
            var answer = await anonymous.GetAsync(a.Url(path));
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.Contains(a.Url("/sign-in?returnUrl="), answer.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }
}
