using System.Net.Http.Json;
using System.Text.Json;
using AspService.Identity;
using AspService.Tests.Billing;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AspService.Tests.Consoles;

/// <summary>The real server over HTTP (Kestrel) with billing configured, for the operator console in chromium.</summary>
public sealed class OpsBrowserHost : IDisposable
{
    public AppFactory App { get; } = new(kestrel: true, settings: BillingApiTests.Settings());

    public string Base => App.WebAddress.ToString().TrimEnd('/');

    public void Dispose() => App.Dispose();
}

/// <summary>
/// The operator in a real browser (Debian chromium via Playwright): the one-time CLI password signs in, the
/// authenticator is registered, the password must be replaced before anything else, then every operator page —
/// with a closed month, an invoice and its PDF, an application, a tenant, the suspend confirmation — passes axe-core
/// (no serious or critical violation) and shows no Latin-only text in Japanese mode.
/// </summary>
public sealed class OpsConsoleBrowserTests(OpsBrowserHost host, Chromium chromium) : IClassFixture<OpsBrowserHost>, IClassFixture<Chromium>
{
    // Names and identifiers, not labels: the product, invoice numbers (INV-00000001).
    private static readonly string[] Names = ["AspService", "INV"];
    private const string NewPassword = "Unyou-Tantou-Hikari-77";

    private AppFactory App => host.App;

    [Fact]
    public async Task OneTimePassword_SignInEnrolAndForcedChange_ThenEveryOperatorPageAccessible_PdfDownloads_SuspendConfirmed()
    {
        var (tenantCode, planId) = await SeedAsync();
        var (email, oneTime) = await App.CreateOperatorByCliAsync();
        await using var context = await chromium.ContextAsync(width: 1280, height: 900);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);

        // Signed out, the billing page sends the browser to the operator sign-in page (HTML, not JSON).
        await page.GotoAsync(host.Base + "/ops/billing");
        Assert.Contains("/ops/sign-in?returnUrl=%2Fops%2Fbilling", page.Url, StringComparison.Ordinal);
        await CheckAsync(page);
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", oneTime);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "次へ" }).ClickAsync();
        await page.WaitForSelectorAsync("form[action*='handler=Enroll']");
        await CheckAsync(page);

        // First sign-in: register the authenticator (QR code and key), then its code.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "認証アプリの登録を始める" }).ClickAsync();
        await page.WaitForSelectorAsync("#secret");
        Assert.Equal("認証アプリの登録", (await page.TextContentAsync("h1"))!.Trim());
        await CheckAsync(page);
        var secret = Base32.Decode((await page.TextContentAsync("#secret"))!.Trim());
        App.Log.Secret(Base32.Encode(secret));
        await page.FillAsync("#code", App.NextCode(secret));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "登録してサインインする" }).ClickAsync();

        // The one-time password must go first: every page leads back here until it is replaced.
        await PageChecks.ArrivedAsync(page, "**/ops/password");
        Assert.Equal("パスワードの設定", (await page.TextContentAsync("h1"))!.Trim());
        await CheckAsync(page);
        await page.GotoAsync(host.Base + "/ops/billing");
        Assert.EndsWith("/ops/password", page.Url, StringComparison.Ordinal);
        await page.GotoAsync(host.Base + "/ops/jobs/");
        Assert.EndsWith("/ops/password", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#current", oneTime);
        await page.FillAsync("#new", "short");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "パスワードを変更する" }).ClickAsync();
        await page.WaitForSelectorAsync(".error-summary");
        await CheckAsync(page);
        await page.FillAsync("#current", oneTime);
        await page.FillAsync("#new", NewPassword);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "パスワードを変更する" }).ClickAsync();
        await PageChecks.ArrivedAsync(page, "**/ops/password?done=1");
        await CheckAsync(page);
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "運用コンソールへ進む" }).ClickAsync();
        await PageChecks.ArrivedAsync(page, "**/ops");
        await CheckAsync(page);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized,
            (await App.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = oneTime })).StatusCode);

        // Billing with real data: the closed month, its invoice and the PDF.
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "請求", Exact = true }).ClickAsync();
        await PageChecks.ArrivedAsync(page, "**/ops/billing");
        Assert.Contains("2026年10月（2026年度）", await page.TextContentAsync("main") ?? "", StringComparison.Ordinal);
        Assert.Contains("33,000円", await page.TextContentAsync("main") ?? "", StringComparison.Ordinal);
        await CheckAsync(page);
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "請求書 INV-00000001 の PDF" }).ClickAsync());
        var pdf = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        Assert.Equal("INV-00000001.pdf", download.SuggestedFilename);

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "INV-00000001", Exact = true }).ClickAsync();
        await page.WaitForSelectorAsync("#lines-title");
        await CheckAsync(page);

        foreach (var path in new[] { "/ops/applications", "/ops/tenants", $"/ops/tenants/{tenantCode}", $"/ops/tenants/{tenantCode}/decommission",
            "/ops/billing/plans", $"/ops/billing/plans/{planId}", "/ops/password" })
        {
            var answer = await page.GotoAsync(host.Base + path);
            Assert.True(answer?.Ok == true, path + ": " + answer?.Status);
            Assert.EndsWith(path, page.Url, StringComparison.Ordinal);
            await CheckAsync(page);
        }

        // Suspending asks first, on its own page, and says what follows.
        await page.GotoAsync(host.Base + $"/ops/tenants/{tenantCode}");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "利用を一時停止する…" }).ClickAsync();
        await PageChecks.ArrivedAsync(page, $"**/ops/tenants/{tenantCode}/suspend");
        await CheckAsync(page);
        Assert.Contains("接続中のテレワークはすぐに切断されます", await page.TextContentAsync(".notice.warning") ?? "", StringComparison.Ordinal);
        await page.FillAsync("#reason", "利用料金の未払い");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { NameRegex = new System.Text.RegularExpressions.Regex("の利用を一時停止する$") }).ClickAsync();
        await PageChecks.ArrivedAsync(page, $"**/ops/tenants/{tenantCode}?done=suspended");
        Assert.Equal("一時停止中", (await page.TextContentAsync("#state"))!.Trim());
        await CheckAsync(page);

        // The jobs dashboard is in the navigation, behind the same sign-in.
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "ジョブ", Exact = true }).ClickAsync();
        await PageChecks.ArrivedAsync(page, "**/ops/jobs/");
        Assert.Contains("Hangfire", await page.ContentAsync(), StringComparison.Ordinal);

        // Another browser, signed out: /ops/jobs is the sign-in page, as HTML.
        await using var stranger = await chromium.ContextAsync(width: 1280, height: 900);
        var other = await stranger.NewPageAsync();
        var signInAnswer = await other.GotoAsync(host.Base + "/ops/jobs");
        Assert.Contains("/ops/sign-in?returnUrl=%2Fops%2Fjobs", other.Url, StringComparison.Ordinal);
        Assert.StartsWith("text/html", signInAnswer!.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal("運用者のサインイン", (await other.TextContentAsync("h1"))!.Trim());
    }

    /// <summary>A tenant on a plan with October closed (one invoice), and an application waiting.</summary>
    private async Task<(string TenantCode, Guid PlanId)> SeedAsync()
    {
        var ops = await App.OperatorClientAsync();
        var plan = await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", new
        {
            code = "standard", name = "標準プラン", effectiveFrom = "2026-01-01", baseFee = 30000, perOfficeTerminal = 1500,
            perActiveUser = 800, includedSessionHours = 100, perExtraHour = 200,
        });
        plan.EnsureSuccessStatusCode();
        var planId = (await plan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var tenant = await App.OnboardTenantAsync(ops);
        (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/plans", new { planCode = "standard", effectiveFrom = "2026-04-01" })).EnsureSuccessStatusCode();
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month = "2026-10" })).EnsureSuccessStatusCode();
        var lg = AppFactory.FreshMunicipality();
        (await App.ClientFor().PostAsJsonAsync("/api/v1/signups", new
        {
            code = lg.Code, department = "情報政策課", contactName = "佐藤 花子", email = "joho@" + lg.Code + ".lg.example",
            phone = "03-1234-5678", preferredStartDate = "2027-04-01",
        })).EnsureSuccessStatusCode();
        return (tenant.Code, planId);
    }

    private static async Task CheckAsync(IPage page)
    {
        await PageChecks.AxeAsync(page);
        await PageChecks.NoLatinOnlyTextAsync(page, Names);
    }
}
