using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AspService.Identity;
using AspService.Server.Identity;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Consoles;

/// <summary>
/// Own account, in-process: re-enrolment of the authenticator (the current password, a new key shown as a QR code and
/// key, the old authenticator working until a code from the new one confirms it, then only the new one) and a new set
/// of recovery codes (shown once, the old ones dead). Bad input is a field error and changes nothing; wrong passwords
/// count towards lockout; tenant A's session can do nothing in tenant B.
/// </summary>
public sealed class AccountMfaTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task ReenrolTotp_WrongPassword_FieldError_NothingChanged()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);

        var answer = await SubmitAsync(staff, "form[action*='handler=Totp']", ("TotpPassword", "not-my-password-1"));
        var page = await AdminForms.HtmlAsync(answer);
        Assert.Equal("true", page.QuerySelector("#totp-password")!.GetAttribute("aria-invalid"));
        Assert.Equal("totp-password-error", page.QuerySelector("#totp-password")!.GetAttribute("aria-describedby"));
        Assert.Equal("#totp-password", page.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.Contains("現在のパスワードが正しくありません", page.QuerySelector("#totp-password-error")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#secret"));
        Assert.Null(await PendingValueAsync(staff));
        Assert.Equal(HttpStatusCode.OK, await TotpSignInAsync(_app, staff, staff.Secret));
        var actions = await _app.AuditActionsAsync(admin.Tenant);
        Assert.Contains("signin.failed", actions);
        Assert.DoesNotContain("mfa.reenrolled", actions);
    }

    [Fact]
    public async Task ReenrolTotp_NewKey_OldWorksUntilConfirmed_WrongThenFullWidthCode_OnlyNewWorks_OtherSessionsEnd()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);
        var otherBrowser = await _app.SignInAgainAsync(staff);

        var begun = await SubmitAsync(staff, "form[action*='handler=Totp']", ("TotpPassword", staff.Password));
        Assert.Contains("no-store", begun.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var enroll = await AdminForms.HtmlAsync(begun);
        var base32 = enroll.QuerySelector("#secret")!.TextContent.Trim();
        _app.Log.Secret(base32);
        var qr = enroll.QuerySelector(".qr img")!.GetAttribute("src")!;
        Assert.StartsWith("data:image/svg+xml;base64,", qr, StringComparison.Ordinal);
        Assert.Contains("<svg", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(qr["data:image/svg+xml;base64,".Length..])), StringComparison.Ordinal);
        Assert.Null(enroll.QuerySelector("[style]"));
        Assert.Empty(enroll.QuerySelectorAll("script:not([src])"));
        var newSecret = Base32.Decode(base32);
        Assert.NotEqual(staff.Secret, newSecret);

        // The pending key is stored encrypted, never as the key shown.
        var pending = await PendingValueAsync(staff);
        Assert.NotNull(pending);
        Assert.DoesNotContain(base32, pending, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(newSecret), pending, StringComparison.Ordinal);

        // Until confirmed, the old authenticator signs in and the new one does not.
        Assert.Equal(HttpStatusCode.OK, await TotpSignInAsync(_app, staff, staff.Secret));
        Assert.NotEqual(HttpStatusCode.OK, await TotpSignInAsync(_app, staff, newSecret));

        // A wrong code (here: the old authenticator's): a field error, the same key shown again, nothing changed.
        var wrong = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(staff, enroll, "form[action*='handler=TotpConfirm']",
            ("TotpCode", _app.NextCode(staff.Secret))));
        Assert.Equal("true", wrong.QuerySelector("#totp-code")!.GetAttribute("aria-invalid"));
        Assert.Equal("totp-code-hint totp-code-error", wrong.QuerySelector("#totp-code")!.GetAttribute("aria-describedby"));
        Assert.Equal("#totp-code", wrong.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.Equal(base32, wrong.QuerySelector("#secret")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.OK, await TotpSignInAsync(_app, staff, staff.Secret));

        // Full-width digits with a space, as a Japanese IME types them.
        var good = _app.NextCode(newSecret);
        var fullWidth = new string([.. good[..3].Select(c => (char)(c - '0' + '０'))]) + "　" + new string([.. good[3..].Select(c => (char)(c - '0' + '０'))]);
        var done = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(staff, wrong, "form[action*='handler=TotpConfirm']", ("TotpCode", fullWidth)));
        Assert.Contains("認証アプリを切り替えました", done.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Null(done.QuerySelector("#secret"));

        // Only the new authenticator works now; this browser stays signed in, the other session has ended.
        Assert.NotEqual(HttpStatusCode.OK, await TotpSignInAsync(_app, staff, staff.Secret));
        Assert.Equal(HttpStatusCode.OK, await TotpSignInAsync(_app, staff, newSecret));
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync(staff.Url("/api/v1/me"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherBrowser.GetAsync(staff.Url("/api/v1/me"))).StatusCode);
        Assert.Null(await PendingValueAsync(staff));
        Assert.Contains("mfa.reenrolled", await _app.AuditActionsAsync(admin.Tenant));
        Assert.DoesNotContain(_app.Log.Lines, l => l.Contains(base32, StringComparison.Ordinal));

        // The confirmation cannot be replayed: nothing is pending any more.
        var again = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(staff, wrong, "form[action*='handler=TotpConfirm']",
            ("TotpCode", _app.NextCode(newSecret))));
        Assert.Equal("true", again.QuerySelector("#totp-password")!.GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task ReenrolTotp_KeyOlderThanItsLifetime_AsksToStartAgain_OldStillWorks()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);
        var enroll = await AdminForms.HtmlAsync(await SubmitAsync(staff, "form[action*='handler=Totp']", ("TotpPassword", staff.Password)));
        var newSecret = Base32.Decode(enroll.QuerySelector("#secret")!.TextContent.Trim());
        _app.Log.Secret(enroll.QuerySelector("#secret")!.TextContent.Trim());

        _app.Clock.Advance(PendingTotpKeys.Lifetime);
        var late = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(staff, enroll, "form[action*='handler=TotpConfirm']",
            ("TotpCode", _app.NextCode(newSecret))));
        Assert.Null(late.QuerySelector("#secret"));
        Assert.Equal("true", late.QuerySelector("#totp-password")!.GetAttribute("aria-invalid"));
        Assert.Contains("時間切れ", late.QuerySelector("#totp-password-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await TotpSignInAsync(_app, staff, staff.Secret));
        Assert.NotEqual(HttpStatusCode.OK, await TotpSignInAsync(_app, staff, newSecret));
        Assert.DoesNotContain("mfa.reenrolled", await _app.AuditActionsAsync(admin.Tenant));
    }

    [Fact]
    public async Task NewRecoveryCodes_WrongPasswordThenRight_ShownOnceNotCached_OldCodesStop_NewOnesWork()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);

        var wrong = await AdminForms.HtmlAsync(await SubmitAsync(staff, "form[action*='handler=RecoveryCodes']", ("RecoveryPassword", "not-my-password-1")));
        Assert.Equal("true", wrong.QuerySelector("#recovery-password")!.GetAttribute("aria-invalid"));
        Assert.Equal("#recovery-password", wrong.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.Null(wrong.QuerySelector("#recovery-codes"));
        Assert.Equal(HttpStatusCode.OK, await RecoverySignInAsync(_app, staff, staff.RecoveryCodes[0]));

        var answer = await AdminForms.SubmitAsync(staff, wrong, "form[action*='handler=RecoveryCodes']", ("RecoveryPassword", staff.Password));
        Assert.Contains("no-store", answer.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var shown = await AdminForms.HtmlAsync(answer);
        var codes = shown.QuerySelectorAll("#recovery-codes code").Select(c => c.TextContent.Trim()).ToList();
        codes.ForEach(_app.Log.Secret);
        Assert.Equal(RecoveryCodeIssuer.Count, codes.Count);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Empty(codes.Intersect(staff.RecoveryCodes));
        Assert.Contains("mfa.recovery_codes_renewed", await _app.AuditActionsAsync(admin.Tenant));

        // Shown once: the page itself no longer has them.
        var later = await AdminForms.GetAsync(staff, "/my/account");
        Assert.Null(later.QuerySelector("#recovery-codes"));
        Assert.DoesNotContain(codes[0], later.DocumentElement.OuterHtml, StringComparison.Ordinal);

        // The old codes (one of them unused until now) are dead; a new one signs in, once.
        Assert.NotEqual(HttpStatusCode.OK, await RecoverySignInAsync(_app, staff, staff.RecoveryCodes[1]));
        Assert.Equal(HttpStatusCode.OK, await RecoverySignInAsync(_app, staff, codes[4]));
        Assert.NotEqual(HttpStatusCode.OK, await RecoverySignInAsync(_app, staff, codes[4]));
        // This browser was not signed out by it.
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync(staff.Url("/api/v1/me"))).StatusCode);
        Assert.DoesNotContain(_app.Log.Lines, l => codes.Any(c => l.Contains(c, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WrongPasswords_CountLikeSignIn_LockTheAccount_NothingChanged()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);

        IHtmlDocument page = await AdminForms.GetAsync(staff, "/my/account");
        for (var i = 0; i < 5; i++)
        {
            var (selector, field) = i % 2 == 0 ? ("form[action*='handler=RecoveryCodes']", "RecoveryPassword") : ("form[action*='handler=Totp']", "TotpPassword");
            page = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(staff, page, selector, (field, "not-my-password-" + i)));
        }

        Assert.Contains("ロック", page.QuerySelector(".field-error")!.TextContent, StringComparison.Ordinal);
        // Locked: like any session of a locked account, this one has ended (the right password gets nowhere now),
        // and sign-in refuses the account.
        var refused = await staff.Client.PostAsync(staff.Url("/my/account?handler=RecoveryCodes"), new FormUrlEncodedContent(
            AdminForms.Fields((IHtmlFormElement)page.QuerySelector("form[action*='handler=RecoveryCodes']")!)
                .Where(f => f.Key != "RecoveryPassword").Append(new("RecoveryPassword", staff.Password))));
        Assert.True(refused.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, ((int)refused.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("recovery-codes", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var again = await staff.Client.GetAsync(staff.Url("/my/account"));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains("/sign-in", again.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var (fresh, _) = _app.NewClient();
        var login = await fresh.PostAsJsonAsync(staff.Url("/api/v1/auth/login"), new { email = staff.Email, password = staff.Password });
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        var actions = await _app.AuditActionsAsync(admin.Tenant);
        Assert.Contains("signin.locked_out", actions);
        Assert.DoesNotContain("mfa.recovery_codes_renewed", actions);
    }

    [Fact]
    public async Task TenantAsSession_PostedToAnotherTenant_ChangesNothingThere()
    {
        var a = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(a);
        var b = await _app.TenantAdminAsync();
        var page = await AdminForms.GetAsync(staff, "/my/account");

        foreach (var (handler, field) in new[] { ("Totp", "TotpPassword"), ("TotpConfirm", "TotpCode"), ("RecoveryCodes", "RecoveryPassword") })
        {
            var form = (IHtmlFormElement)(page.QuerySelector($"form[action*='handler={handler}']") ?? page.QuerySelector("form[action*='handler=Totp']"))!;
            var fields = AdminForms.Fields(form).Where(f => f.Key != field)
                .Append(new(field, field == "TotpCode" ? "123456" : staff.Password)).ToList();
            // A's session and antiforgery token, sent to B's account page (and, for good measure, with B's admin's address).
            var response = await staff.Client.PostAsync(b.Url("/my/account?handler=" + handler), new FormUrlEncodedContent(fields));
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden,
                handler + " → " + (int)response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("id=\"secret\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain("recovery-codes", body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(await _app.AuditActionsAsync(b.Tenant), x => x.StartsWith("mfa.", StringComparison.Ordinal) && x != "mfa.enrolled");
        Assert.DoesNotContain(await _app.AuditActionsAsync(a.Tenant), x => x is "mfa.reenrolled" or "mfa.recovery_codes_renewed");
        Assert.Equal(HttpStatusCode.OK, await RecoverySignInAsync(_app, b, b.RecoveryCodes[0]));
        Assert.Equal(HttpStatusCode.OK, await TotpSignInAsync(_app, staff, staff.Secret));
    }

    private static async Task<HttpResponseMessage> SubmitAsync(TenantSession who, string selector, params (string Name, string Value)[] set) =>
        await AdminForms.SubmitAsync(who, await AdminForms.GetAsync(who, "/my/account"), selector, set);

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    public async Task AccountPage_EveryState_ShowsOneLanguageOnly(string language)
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);
        staff.Cookies.Values[".AspNetCore.Culture"] = Uri.EscapeDataString($"c={language}|uic={language}");
        void Check(IHtmlDocument page, string where)
        {
            if (language == "en")
            {
                PageText.NoJapanese(page, where, "山田 太郎");
            }
            else
            {
                PageText.NoLatinOnly(page, where, "AspService");
            }
        }

        var page = await AdminForms.GetAsync(staff, "/my/account");
        Check(page, "account");
        var wrong = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(staff, page, "form[action*='handler=Totp']", ("TotpPassword", "not-my-password-1")));
        Check(wrong, "account, wrong password");
        var enroll = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(staff, wrong, "form[action*='handler=Totp']", ("TotpPassword", staff.Password)));
        var base32 = enroll.QuerySelector("#secret")!.TextContent.Trim();
        _app.Log.Secret(base32);
        Check(enroll, "account, new key");
        var wrongCode = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(staff, enroll, "form[action*='handler=TotpConfirm']", ("TotpCode", "12345")));
        Check(wrongCode, "account, wrong code");
        var switched = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(staff, wrongCode, "form[action*='handler=TotpConfirm']",
            ("TotpCode", _app.NextCode(Base32.Decode(base32)))));
        Assert.NotNull(switched.QuerySelector(".notice.success"));
        Check(switched, "account, switched");
        var codes = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(staff, switched, "form[action*='handler=RecoveryCodes']", ("RecoveryPassword", staff.Password)));
        codes.QuerySelectorAll("#recovery-codes code").Select(c => c.TextContent.Trim()).ToList().ForEach(_app.Log.Secret);
        Assert.NotNull(codes.QuerySelector("#recovery-codes"));
        Check(codes, "account, new recovery codes");
    }

    /// <summary>A fresh browser signs in with the password and a code of <paramref name="secret"/>: the second step's status.</summary>
    internal static Task<HttpStatusCode> TotpSignInAsync(AppFactory app, TenantSession who, byte[] secret) =>
        SecondStepAsync(app, who, "/api/v1/auth/totp", () => app.NextCode(secret));

    /// <summary>A fresh browser signs in with the password and a recovery code: the second step's status.</summary>
    internal static Task<HttpStatusCode> RecoverySignInAsync(AppFactory app, TenantSession who, string code) =>
        SecondStepAsync(app, who, "/api/v1/auth/recovery", () => code);

    private static async Task<HttpStatusCode> SecondStepAsync(AppFactory app, TenantSession who, string path, Func<string> code)
    {
        var (client, _) = app.NewClient();
        var login = await client.PostAsJsonAsync(who.Url("/api/v1/auth/login"), new { email = who.Email, password = who.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (await client.PostAsJsonAsync(who.Url(path), new { code = code() })).StatusCode;
    }

    /// <summary>The stored value of the account's pending authenticator key, or null.</summary>
    private async Task<string?> PendingValueAsync(TenantSession who)
    {
        await using var db = _app.Services.GetRequiredService<Server.Tenancy.TenantDbContextFactory>().CreateUnpooled(_app.Binding(who.Tenant));
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == who.Email);
        return await db.UserTokens.AsNoTracking()
            .Where(t => t.UserId == user.Id && t.LoginProvider == PendingTotpKeys.Provider && t.Name == PendingTotpKeys.Name)
            .Select(t => t.Value).SingleOrDefaultAsync();
    }
}
