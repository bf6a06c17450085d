using System.Net;
using System.Net.Http.Json;
using AspService.Identity;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;
using Microsoft.Playwright;

namespace AspService.Tests.Consoles;

/// <summary>
/// The invited staff member's first steps in Debian's chromium on a 390×844 phone, over the real socket: the
/// invitation mail's link, a weak then a good password, the authenticator registration (the code computed from the
/// key shown on the page), the recovery codes, then signed in. Every step passes axe-core (no serious or critical
/// violation), shows no Latin-only text in Japanese mode and fits the phone's width.
/// </summary>
public sealed class EntryJourneyBrowserTests(KestrelHost host, Chromium chromium) : IClassFixture<KestrelHost>, IClassFixture<Chromium>
{
    private static readonly string[] Names = ["AspService"];

    private AppFactory App => host.App;

    [Fact]
    public async Task InvitationLink_Password_Enrollment_RecoveryCodes_SignedIn_OnAPhone()
    {
        var admin = await App.TenantAdminAsync();
        var email = $"phone-{Guid.NewGuid():N}"[..14] + "@" + admin.Tenant.Code + ".lg.example";
        var invite = await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/users"), new { email, displayName = "高橋 美咲", role = "Staff" });
        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        var token = App.MailedToken(email, "invitation");
        var root = App.WebAddress.ToString().TrimEnd('/') + $"/t/{admin.Tenant.Code}";

        await using var context = await chromium.ContextAsync(390, 844);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(root + "/invitation?token=" + token);
        Assert.Equal("パスワードの設定", (await page.TextContentAsync("h1"))!.Trim());
        await CheckAsync(page);

        // A weak password: the error summary takes the focus and the field says why.
        await page.FillAsync("#password", "short");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "パスワードを設定して次へ進む" }).ClickAsync();
        await page.WaitForSelectorAsync(".error-summary");
        Assert.Equal("true", await page.GetAttributeAsync("#password", "aria-invalid"));
        await CheckAsync(page);

        await page.FillAsync("#password", TenantIdentityKit.GoodPassword);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "パスワードを設定して次へ進む" }).ClickAsync();
        await PageChecks.ArrivedAsync(page, "**/sign-in?handler=Enroll");
        Assert.Equal("認証アプリの登録", (await page.TextContentAsync("h1"))!.Trim());
        await CheckAsync(page);

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "認証アプリの登録を始める" }).ClickAsync();
        await page.WaitForSelectorAsync("#secret");
        var base32 = (await page.TextContentAsync("#secret"))!.Trim();
        App.Log.Secret(base32);
        Assert.True(await page.EvaluateAsync<bool>("() => { const i = document.querySelector('.qr img'); return i.complete && i.naturalWidth > 0; }"),
            "the QR code image did not load");
        await CheckAsync(page);

        // A wrong code first: still on the registration, with the error next to the field.
        var good = App.NextCode(Base32.Decode(base32));
        await page.FillAsync("#code", good == "000000" ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "登録する", Exact = true }).ClickAsync();
        await page.WaitForSelectorAsync("#code-error");
        await CheckAsync(page);

        await page.FillAsync("#code", good);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "登録する", Exact = true }).ClickAsync();
        await page.WaitForSelectorAsync("#recovery-codes");
        Assert.Equal("リカバリーコードの保管", (await page.TextContentAsync("h1"))!.Trim());
        var codes = await page.Locator("#recovery-codes code").AllTextContentsAsync();
        foreach (var code in codes)
        {
            App.Log.Secret(code.Trim());
        }

        Assert.Equal(10, codes.Count);
        await CheckAsync(page);

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "保管したので次へ進む" }).ClickAsync();
        await PageChecks.ArrivedAsync(page, "**/my");
        Assert.DoesNotContain("/sign-in", page.Url, StringComparison.Ordinal);
        await CheckAsync(page);
        Assert.Equal(200, (await page.APIRequest.GetAsync(root + "/api/v1/me")).Status);
    }

    [Fact]
    public async Task ForgotPassword_Request_MailedLink_NewPassword_OnAPhone()
    {
        var admin = await App.TenantAdminAsync();
        var (staff, _) = await App.InviteAndSignInAsync(admin);
        var root = App.WebAddress.ToString().TrimEnd('/') + $"/t/{admin.Tenant.Code}";

        await using var context = await chromium.ContextAsync(390, 844);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(root + "/sign-in");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "パスワードを忘れた場合" }).ClickAsync();
        await page.WaitForSelectorAsync("#forgot-form");
        await CheckAsync(page);
        await page.FillAsync("#email", staff.Email);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "再設定のメールを送る" }).ClickAsync();
        await page.WaitForSelectorAsync("#forgot-sent");
        await CheckAsync(page);

        await page.GotoAsync(root + "/password-reset?token=" + App.MailedToken(staff.Email, "password-reset"));
        await CheckAsync(page);
        await page.FillAsync("#password", "Ueno-Koen-Shinobazu-2027");
        App.Log.Secret("Ueno-Koen-Shinobazu-2027");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "パスワードを再設定する" }).ClickAsync();
        await page.WaitForSelectorAsync("#reset-done");
        await CheckAsync(page);
    }

    private static Task CheckAsync(IPage page) => PageChecks.PhonePageAsync(page, Names);
}
