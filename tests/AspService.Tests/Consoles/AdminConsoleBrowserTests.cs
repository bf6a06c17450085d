using System.Net.WebSockets;
using AspService.Data.Sessions;
using AspService.Server.Consoles;
using AspService.Server.Relay;
using AspService.Tests.Infrastructure;
using AspService.Tests.Relay;
using AspService.Tests.Terminals;
using Microsoft.Playwright;

namespace AspService.Tests.Consoles;

/// <summary>
/// The administrators' screens in a real browser (Debian chromium via Playwright) with real relay sessions: every page
/// of the admin navigation (and the disconnect confirmation) passes axe-core with no serious or critical violation,
/// shows no Latin-only text in Japanese mode and fits a phone; the force-disconnect is confirmed in the browser's
/// dialog and ends the session.
/// </summary>
public sealed class AdminConsoleBrowserTests(KestrelHost host, Chromium chromium) : IClassFixture<KestrelHost>, IClassFixture<Chromium>
{
    private static readonly string[] Names = ["aspagent", "AspService"];

    private AppFactory App => host.App;

    [Fact]
    public async Task EveryAdminPage_Accessible_Japanese_FitsPhone_ForceDisconnectConfirmedInBrowser()
    {
        var s = await App.ScenarioAsync();
        using var control = await s.OfficeOnlineAsync();
        var (sessionId, home, office) = await s.LiveAsync(control);
        // A refused second request, so the history shows a refusal reason too.
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await s.RequestSessionAsync()).StatusCode);
        var jst = TimeSpan.FromHours(9);
        await App.SeedEndedAsync(s.Admin, s.StaffId, s.Home.Id, s.Office.Id,
            (new DateTimeOffset(2026, 11, 10, 9, 30, 0, jst), new DateTimeOffset(2026, 11, 10, 17, 45, 0, jst)));

        await using var context = await chromium.ContextAsync();
        await context.AddCookiesAsync(s.Admin.Cookies.Values.Select(c => new Cookie { Name = c.Key, Value = c.Value, Url = App.WebAddress.ToString() }));
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var root = App.WebAddress.ToString().TrimEnd('/') + s.Admin.Url("");
        foreach (var (path, _) in AdminNav.Links)
        {
            await page.GotoAsync(root + path);
            Assert.Equal(root + path, page.Url.Split('?')[0]);
            await CheckAsync(page);
        }

        await page.GotoAsync(root + "/admin/telework?month=2026-11");
        Assert.Contains("8 時間 15 分", await page.TextContentAsync("main") ?? "", StringComparison.Ordinal);
        await CheckAsync(page);
        await page.GotoAsync(root + "/admin/sessions/history?from=2026-12-01&to=2026-11-01");
        await CheckAsync(page);
        await page.GotoAsync(root + "/admin/sessions/history");
        Assert.Contains("同時接続数の上限", await page.TextContentAsync("main") ?? "", StringComparison.Ordinal);

        // From the list to the confirmation; the browser's dialog asks once more; cancelling it changes nothing.
        await page.GotoAsync(root + "/admin/sessions");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "山田 太郎 さんの接続を切断" }).ClickAsync();
        await PageChecks.ArrivedAsync(page, $"**/admin/sessions/{sessionId}/disconnect");
        await CheckAsync(page);
        void Dismiss(object? sender, IDialog dialog) => _ = dialog.DismissAsync();
        page.Dialog += Dismiss;
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "切断する" }).ClickAsync();
        Assert.EndsWith("/disconnect", page.Url, StringComparison.Ordinal);
        Assert.Equal(SessionState.Live, (await s.SessionAsync(sessionId)).State);
        page.Dialog -= Dismiss;

        string? asked = null;
        page.Dialog += (_, dialog) =>
        {
            asked = dialog.Message;
            _ = dialog.AcceptAsync();
        };
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "切断する" }).ClickAsync();
        await PageChecks.ArrivedAsync(page, "**/admin/sessions");
        Assert.Contains("切断しますか", asked, StringComparison.Ordinal);
        Assert.Contains("切断を指示しました", await page.TextContentAsync(".notice") ?? "", StringComparison.Ordinal);
        await CheckAsync(page);
        App.Clock.Advance(TimeSpan.FromSeconds(1));
        var ended = await Eventually.ValueAsync(() => s.SessionAsync(sessionId), x => x.State == SessionState.Ended);
        Assert.Equal(EndReasons.ByAdmin, ended.EndReason);
        await office;
        home.Dispose();
    }

    private static async Task CheckAsync(IPage page)
    {
        await PageChecks.AxeAsync(page);
        await PageChecks.NoLatinOnlyTextAsync(page, Names);
        await PageChecks.FitsWidthAsync(page);
    }
}
