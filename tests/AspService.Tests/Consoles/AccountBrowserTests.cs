using System.Net;
using AspService.Identity;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;
using Microsoft.Playwright;

namespace AspService.Tests.Consoles;

/// <summary>
/// Own account in Debian's chromium on a 390×844 phone, by clicking only: sign in, re-register the authenticator (a
/// wrong code, then a code of the new key shown on the page), then a new set of recovery codes. The old authenticator
/// and the old recovery codes stop working; every step passes axe-core (no serious or critical violation), shows no
/// Latin-only text in Japanese mode and fits the phone's width.
/// </summary>
public sealed class AccountBrowserTests(KestrelHost host, Chromium chromium) : IClassFixture<KestrelHost>, IClassFixture<Chromium>
{
    private static readonly string[] Names = ["AspService"];

    private AppFactory App => host.App;

    [Fact]
    public async Task ReenrolAuthenticator_ThenNewRecoveryCodes_ByClicking_OnAPhone()
    {
        var admin = await App.TenantAdminAsync();
        var (staff, _) = await App.InviteAndSignInAsync(admin);
        var root = App.WebAddress.ToString().TrimEnd('/') + $"/t/{admin.Tenant.Code}";

        await using var context = await chromium.ContextAsync(390, 844);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(root + "/my/account");
        await page.FillAsync("#email", staff.Email);
        await page.FillAsync("#password", staff.Password);
        await Button(page, "次へ").ClickAsync();
        await page.WaitForSelectorAsync("#code");
        await page.FillAsync("#code", App.NextCode(staff.Secret));
        await Button(page, "サインイン").ClickAsync();
        await PageChecks.ArrivedAsync(page, "**/my/account");
        await PageChecks.PhonePageAsync(page, Names);

        // Re-registration: the password, then the new key as a QR code and as text.
        await page.FillAsync("#totp-password", staff.Password);
        await Button(page, "再登録を始める").ClickAsync();
        await page.WaitForSelectorAsync("#secret");
        var base32 = (await page.TextContentAsync("#secret"))!.Trim();
        App.Log.Secret(base32);
        Assert.True(await page.EvaluateAsync<bool>("() => { const i = document.querySelector('.qr img'); return i.complete && i.naturalWidth > 0; }"),
            "the QR code image did not load");
        await PageChecks.PhonePageAsync(page, Names);

        // The old app's code is not the new app's: an error next to the field, nothing switched.
        await page.FillAsync("#totp-code", App.NextCode(staff.Secret));
        await Button(page, "新しい認証アプリに切り替える").ClickAsync();
        await page.WaitForSelectorAsync("#totp-code-error");
        await PageChecks.PhonePageAsync(page, Names);
        Assert.Equal(HttpStatusCode.OK, await AccountMfaTests.TotpSignInAsync(App, staff, staff.Secret));

        var newSecret = Base32.Decode(base32);
        await page.FillAsync("#totp-code", App.NextCode(newSecret));
        await Button(page, "新しい認証アプリに切り替える").ClickAsync();
        await page.WaitForSelectorAsync(".notice.success");
        Assert.Null(await page.QuerySelectorAsync("#secret"));
        await PageChecks.PhonePageAsync(page, Names);
        Assert.NotEqual(HttpStatusCode.OK, await AccountMfaTests.TotpSignInAsync(App, staff, staff.Secret));
        Assert.Equal(HttpStatusCode.OK, await AccountMfaTests.TotpSignInAsync(App, staff, newSecret));

        // New recovery codes: shown once, the old ones dead.
        await page.FillAsync("#recovery-password", staff.Password);
        await Button(page, "新しいリカバリーコードを発行する").ClickAsync();
        await page.WaitForSelectorAsync("#recovery-codes");
        var codes = (await page.Locator("#recovery-codes code").AllTextContentsAsync()).Select(c => c.Trim()).ToList();
        codes.ForEach(App.Log.Secret);
        Assert.Equal(10, codes.Count);
        await PageChecks.PhonePageAsync(page, Names);
        Assert.NotEqual(HttpStatusCode.OK, await AccountMfaTests.RecoverySignInAsync(App, staff, staff.RecoveryCodes[0]));
        Assert.Equal(HttpStatusCode.OK, await AccountMfaTests.RecoverySignInAsync(App, staff, codes[0]));

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "保管したので閉じる" }).ClickAsync();
        await PageChecks.ArrivedAsync(page, "**/my/account");
        Assert.Null(await page.QuerySelectorAsync("#recovery-codes"));
        await PageChecks.PhonePageAsync(page, Names);
    }

    private static ILocator Button(IPage page, string name) =>
        page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = name, Exact = true });
}
