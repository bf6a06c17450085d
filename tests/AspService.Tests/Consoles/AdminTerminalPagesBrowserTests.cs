using System.Net;
using System.Net.Http.Json;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;
using Microsoft.Playwright;

namespace AspService.Tests.Consoles;

/// <summary>
/// The terminal's page and the office-PC registration in Debian's chromium over the real socket, on a desktop and a
/// 390 px phone: each state (list, terminal with certificate and assigned staff, a confirmation step, registration
/// with an error, the registered terminal) passes axe-core with no serious or critical violation, shows no Latin-only
/// text in Japanese mode and fits the width.
/// </summary>
public sealed class AdminTerminalPagesBrowserTests(KestrelHost host, Chromium chromium) : IClassFixture<KestrelHost>, IClassFixture<Chromium>
{
    private static readonly string[] Names = ["AspService", "PEM"];

    private AppFactory App => host.App;

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task TerminalPages_EveryState_AccessibleJapaneseAndFits(int width, int height)
    {
        var admin = await App.TenantAdminAsync();
        var (_, staffId) = await App.InviteAndSignInAsync(admin);
        using var web = App.CreateDefaultClient(App.WebAddress);
        var office = await TerminalKit.EnrollAsync(web, admin.Tenant.Code, await admin.TokenAsync("office"), "総務課-05");
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsJsonAsync(admin.Url($"/api/v1/terminals/{office.Id}/assignments"), new { userId = staffId })).StatusCode);
        await using var context = await chromium.ContextAsync(width, height);
        await context.AddCookiesAsync([.. admin.Cookies.Values.Select(c => new Microsoft.Playwright.Cookie { Name = c.Key, Value = c.Value, Url = App.WebAddress.ToString() })]);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var root = App.WebAddress.ToString().TrimEnd('/') + $"/t/{admin.Tenant.Code}";

        await page.GotoAsync(root + "/admin/terminals");
        await CheckAsync(page);

        // The list leads to the terminal's page: facts, assigned staff, certificates.
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "総務課-05", Exact = true }).ClickAsync();
        await PageChecks.ArrivedAsync(page, $"**/admin/terminals/{office.Id}");
        Assert.Equal("総務課-05", (await page.TextContentAsync("h1"))!.Trim());
        Assert.Contains(office.Serial, await page.TextContentAsync("main") ?? "", StringComparison.Ordinal);
        await CheckAsync(page);

        // Removing an assignment asks first.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "の割り当てを解除する" }).ClickAsync();
        await page.WaitForSelectorAsync(".notice.warning");
        await CheckAsync(page);
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "やめる" }).ClickAsync();
        await PageChecks.ArrivedAsync(page, $"**/admin/terminals/{office.Id}");

        // Deleting asks first too.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "削除する", Exact = true }).ClickAsync();
        await page.WaitForSelectorAsync(".notice.warning");
        await CheckAsync(page);

        // Registration: a missing name takes the focus to the error summary; then the new terminal's page.
        await page.GotoAsync(root + "/admin/terminals/new");
        await CheckAsync(page);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "登録する", Exact = true }).ClickAsync();
        await page.WaitForSelectorAsync(".error-summary");
        Assert.Equal("error-summary-title", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('aria-labelledby')"));
        await CheckAsync(page);
        await page.FillAsync("#name", "企画課-01");
        await page.FillAsync("#location", "本庁舎 2 階");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "登録する", Exact = true }).ClickAsync();
        await page.WaitForSelectorAsync(".notice.success");
        Assert.Equal("企画課-01", (await page.TextContentAsync("h1"))!.Trim());
        await CheckAsync(page);

        // A token for it, shown once.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "この端末の登録用トークンを発行する" }).ClickAsync();
        await page.WaitForSelectorAsync("#issued-token");
        await CheckAsync(page);
    }

    private static async Task CheckAsync(IPage page)
    {
        await PageChecks.AxeAsync(page);
        await PageChecks.NoLatinOnlyTextAsync(page, Names);
        await PageChecks.FitsWidthAsync(page);
    }
}
