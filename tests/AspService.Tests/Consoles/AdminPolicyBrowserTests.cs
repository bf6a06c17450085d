using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;
using Microsoft.Playwright;

namespace AspService.Tests.Consoles;

/// <summary>
/// The policy screen in chromium: accessible and in clean Japanese in every state (form, confirmation of a
/// weakening, saved), fits a phone, and leaving with unsaved edits asks first (the page's own script, under its CSP).
/// </summary>
public sealed class AdminPolicyBrowserTests(KestrelHost host, Chromium chromium) : IClassFixture<KestrelHost>, IClassFixture<Chromium>
{
    private static readonly string[] Names = ["AspService", "LGWAN", "CIDR", "SIM"];

    private AppFactory App => host.App;

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task Policy_WeakenConfirmSave_AndLeavingWithEditsAsks(int width, int height)
    {
        var admin = await App.TenantAdminAsync();
        await using var context = await chromium.ContextAsync(width, height);
        await context.AddCookiesAsync([.. admin.Cookies.Values.Select(c => new Cookie { Name = c.Key, Value = c.Value, Url = App.WebAddress.ToString() })]);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var root = App.WebAddress.ToString().TrimEnd('/') + $"/t/{admin.Tenant.Code}";

        await page.GotoAsync(root + "/admin/policy");
        await CheckAsync(page);

        // An edit, then a click on another screen: the browser asks; staying keeps the page and the edit.
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Type);
            await dialog.DismissAsync();
        };
        await page.FillAsync("#maxConcurrentSessionsPerUser", "2");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "監査ログ" }).ClickAsync();
        await page.WaitForTimeoutAsync(500);
        Assert.Contains("beforeunload", dialogs);
        Assert.EndsWith("/admin/policy", page.Url, StringComparison.Ordinal);
        Assert.Equal("2", await page.InputValueAsync("#maxConcurrentSessionsPerUser"));

        // Weakening: untick MFA, save → the confirmation lists it; saving after it does not ask about leaving.
        await page.UncheckAsync("#requireMfa");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "ポリシーを保存する" }).ClickAsync();
        await page.WaitForSelectorAsync(".notice.warning");
        Assert.Contains("二要素認証が不要になります", await page.TextContentAsync(".notice.warning") ?? "", StringComparison.Ordinal);
        await CheckAsync(page);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "確認しました。この内容で保存する" }).ClickAsync();
        await page.WaitForSelectorAsync(".notice.success");
        Assert.False(await page.IsCheckedAsync("#requireMfa"));
        await CheckAsync(page);
        Assert.Single(dialogs);
    }

    private static async Task CheckAsync(IPage page)
    {
        await PageChecks.AxeAsync(page);
        await PageChecks.NoLatinOnlyTextAsync(page, Names);
        await PageChecks.FitsWidthAsync(page);
    }
}
