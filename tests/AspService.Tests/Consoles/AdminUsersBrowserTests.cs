using AspService.Identity;
using AspService.Tests.Agent;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;
using Microsoft.Playwright;

namespace AspService.Tests.Consoles;

/// <summary>
/// The administrators' users and audit screens in Debian's chromium over the real socket: each state (list, user,
/// confirmation, invitation with errors, CP932 import result, audit filter) passes axe-core with no serious or
/// critical violation, shows no Latin-only text in Japanese mode, and fits a 390 px phone as well as a desktop.
/// </summary>
public sealed class AdminUsersBrowserTests(KestrelHost host, Chromium chromium) : IClassFixture<KestrelHost>, IClassFixture<Chromium>
{
    private static readonly string[] Names = ["AspService", "aspagent", "CSV"];

    private AppFactory App => host.App;

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task AdminScreens_EveryState_AccessibleJapaneseAndFits(int width, int height)
    {
        var admin = await App.TenantAdminAsync();
        var (_, staffId) = await App.InviteAndSignInAsync(admin);
        await using var context = await chromium.ContextAsync(width, height);
        await context.AddCookiesAsync([.. admin.Cookies.Values.Select(c => new Cookie { Name = c.Key, Value = c.Value, Url = App.WebAddress.ToString() })]);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var root = App.WebAddress.ToString().TrimEnd('/') + $"/t/{admin.Tenant.Code}";

        await page.GotoAsync(root + "/admin/users");
        Assert.Equal("利用者の管理", (await page.TextContentAsync("h1"))!.Trim());
        await CheckAsync(page);

        // The user, then the MFA reset's confirmation step (the button only asks).
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "山田 太郎" }).ClickAsync();
        await PageChecks.ArrivedAsync(page, $"**/admin/users/{staffId}");
        await CheckAsync(page);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "二要素認証をリセットする" }).ClickAsync();
        await page.WaitForSelectorAsync(".notice.warning");
        await CheckAsync(page);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "リセットする", Exact = true }).ClickAsync();
        await page.WaitForSelectorAsync(".notice.success");
        Assert.Contains("未登録", await page.TextContentAsync("dl.facts") ?? "", StringComparison.Ordinal);
        await CheckAsync(page);

        // Invitation with a missing name: the error summary takes the focus and links to the field.
        await page.GotoAsync(root + "/admin/users/invite");
        await CheckAsync(page);
        await page.FillAsync("#email", "not-an-address");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "招待メールを送る" }).ClickAsync();
        await page.WaitForSelectorAsync(".error-summary");
        Assert.Equal("error-summary-title", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('aria-labelledby')"));
        await CheckAsync(page);

        // A CP932 file from Excel, with 髙 and 﨑.
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "職員.csv");
        await File.WriteAllBytesAsync(file, StaffCsv.WindowsJapanese.GetBytes(
            $"メールアドレス,氏名,所属\r\ntakahashi@{admin.Tenant.Code}.lg.example,髙橋 一郎,総務課\r\nyamasaki@{admin.Tenant.Code}.lg.example,山﨑 花子,企画課\r\n"));
        await page.GotoAsync(root + "/admin/users/import");
        await CheckAsync(page);
        await page.SetInputFilesAsync("#file", file);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "取り込む" }).ClickAsync();
        await page.WaitForSelectorAsync(".notice.success");
        await CheckAsync(page);
        await page.GotoAsync(root + "/admin/users?q=" + Uri.EscapeDataString("﨑"));
        Assert.Contains("山﨑 花子", await page.TextContentAsync("#users-table") ?? "", StringComparison.Ordinal);
        await CheckAsync(page);

        await page.GotoAsync(root + "/admin/audit");
        await CheckAsync(page);
        await page.SelectOptionAsync("#action", "mfa.reset");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "絞り込む" }).ClickAsync();
        await PageChecks.ArrivedAsync(page, "**/admin/audit?action=mfa.reset*");
        Assert.Contains("二要素認証のリセット", await page.TextContentAsync("tbody") ?? "", StringComparison.Ordinal);
        await CheckAsync(page);
    }

    private static async Task CheckAsync(IPage page)
    {
        await PageChecks.AxeAsync(page);
        await PageChecks.NoLatinOnlyTextAsync(page, Names);
        await PageChecks.FitsWidthAsync(page);
    }
}
