using System.Text.Json;
using AspService.Tests.Agent;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;
using Microsoft.Playwright;

namespace AspService.Tests.Consoles;

/// <summary>
/// The staff journey in a real browser (Debian chromium via Playwright) against the real server over https, with the
/// real agent: <c>aspagent connect --no-launch</c> prints the link, the browser signs in by keyboard only (password +
/// TOTP), the staff member approves, and the agent goes on. Every page on the way passes axe-core (no serious or
/// critical violation), shows no Latin-only text in Japanese mode and fits a 390×844 phone screen.
/// </summary>
public sealed class StaffJourneyBrowserTests(RelayAgentHost host, Chromium chromium)
    : IClassFixture<RelayAgentHost>, IClassFixture<Chromium>
{
    private static readonly string[] Names = ["aspagent", "AspService"];

    private AppFactory App => host.App;

    [Fact]
    public async Task AgentConnect_SignInByKeyboard_Approve_AgentSignsIn_EveryPageAccessible()
    {
        using var folder = new TempFolder();
        var admin = await App.TenantAdminAsync();
        var (staff, staffId) = await App.InviteAndSignInAsync(admin);
        var server = $"{host.SecureWebAddress.ToString().TrimEnd('/')}/t/{admin.Tenant.Code}";
        var homeDir = Path.Combine(folder.Path, "home");
        var enroll = await AgentProcess.RunAsync(["enroll", "--server", server, "--ca-file", host.WebCa.CaPath,
            "--token", await admin.TokenAsync("home", ownerUserId: staffId), "--name", "自宅PC", "--config", homeDir, "--json"], null);
        Assert.True(enroll.ExitCode == 0, enroll.ToString());

        using var agent = RunningAgent.Start(["connect", "--no-launch", "--json", "--ca-file", host.WebCa.CaPath, "--config", homeDir], AgentFixtures.English);
        var signInEvent = JsonDocument.Parse((await agent.WaitForLineAsync("^\\{.*\"event\":\"sign-in\".*\\}$")).Value).RootElement;
        var link = signInEvent.GetProperty("verificationUriComplete").GetString()!;
        Assert.StartsWith(server + "/connect/verify?user_code=", link, StringComparison.Ordinal);

        await using var context = await chromium.ContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(link);
        Assert.Contains("/sign-in?returnUrl=", page.Url, StringComparison.Ordinal);
        await CheckAsync(page);

        // Keyboard only: Tab to the address field, type, Tab, type, Enter; then the code field has the focus.
        await TabToAsync(page, "email");
        await page.Keyboard.TypeAsync(staff.Email);
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("password", await FocusedIdAsync(page));
        await page.Keyboard.TypeAsync(staff.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#code");
        await CheckAsync(page);
        if (await FocusedIdAsync(page) != "code")
        {
            await TabToAsync(page, "code");
        }

        await page.Keyboard.TypeAsync(App.NextCode(staff.Secret));
        await page.Keyboard.PressAsync("Enter");

        // Back on the approval page the link led to: the code, the app, the account.
        await page.WaitForSelectorAsync("#usercode");
        Assert.Equal(signInEvent.GetProperty("userCode").GetString(), (await page.TextContentAsync("#usercode"))!.Trim());
        Assert.Contains(staff.Email, await page.TextContentAsync("dl.facts") ?? "", StringComparison.Ordinal);
        await CheckAsync(page);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "承認する" }).ClickAsync();
        await PageChecks.ArrivedAsync(page, "**/connect/done?result=approved");
        Assert.Equal("承認しました", (await page.TextContentAsync("h1"))!.Trim());
        await CheckAsync(page);

        await agent.WaitForLineAsync("\"event\":\"signed-in\"");
        Assert.True(File.Exists(Path.Combine(homeDir, "tokens.json")));

        // The staff pages, as the same person on the same phone.
        foreach (var path in new[] { "/my", "/my/terminals", "/my/history", "/my/account", "/connect/verify", "/no-such-page" })
        {
            await page.GotoAsync(server + path);
            await CheckAsync(page);
        }

        await page.GotoAsync(server + "/my/terminals");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "自宅PC の紛失・盗難を届け出る" }).ClickAsync();
        await page.WaitForSelectorAsync("h1");
        await CheckAsync(page);
    }

    private static async Task CheckAsync(IPage page)
    {
        await PageChecks.AxeAsync(page);
        await PageChecks.NoLatinOnlyTextAsync(page, Names);
        await PageChecks.FitsWidthAsync(page);
    }

    private static Task<string> FocusedIdAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement?.id ?? ''");

    private static async Task TabToAsync(IPage page, string id)
    {
        for (var i = 0; i < 25 && await FocusedIdAsync(page) != id; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal(id, await FocusedIdAsync(page));
    }
}
