using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AspService.Identity;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Consoles;

/// <summary>
/// First-time TOTP registration inside the sign-in page, in-process: password, then the QR code and key, a wrong
/// code (field error, still on the registration), the right code, the recovery codes shown once, then signed in.
/// </summary>
public sealed class EntryEnrollmentTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task SignIn_NotEnrolled_RegistersAuthenticator_ShowsRecoveryCodesOnce_ThenSignedIn()
    {
        var admin = await _app.TenantAdminAsync();
        var user = await InvitedWithPasswordAsync(admin);

        var signIn = await AdminForms.GetAsync(user, "/sign-in?returnUrl=/my/account");
        var start = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(user, signIn, "form[action*='handler=Password']",
            ("Email", user.Email), ("Password", user.Password)));
        Assert.Equal("認証アプリの登録", start.QuerySelector("h1")!.TextContent.Trim());
        Assert.Null(start.QuerySelector("a[href*='/portal'], a[href='/t/" + admin.Tenant.Code + "/']"));

        var enroll = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(user, start, "form[action*='handler=Enroll']"));
        var base32 = enroll.QuerySelector("#secret")!.TextContent.Trim();
        _app.Log.Secret(base32);
        var qr = enroll.QuerySelector(".qr img")!.GetAttribute("src")!;
        Assert.StartsWith("data:image/svg+xml;base64,", qr, StringComparison.Ordinal);
        var svg = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(qr["data:image/svg+xml;base64,".Length..]));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Null(enroll.QuerySelector("[style]"));
        Assert.Empty(enroll.QuerySelectorAll("script:not([src])"));

        var secret = Base32.Decode(base32);
        var good = _app.NextCode(secret);
        var wrongCode = good == "000000" ? "111111" : "000000";
        var wrong = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(user, enroll, "form[action*='handler=Code']", ("Code", wrongCode)));
        Assert.Equal("認証アプリの登録", wrong.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("true", wrong.QuerySelector("#code")!.GetAttribute("aria-invalid"));
        Assert.Equal("#code", wrong.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.NotNull(wrong.QuerySelector("form[action*='handler=Enroll']")); // a way to start again with a new key
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Client.GetAsync(user.Url("/api/v1/me"))).StatusCode);

        // Full-width digits, as a Japanese IME types them.
        var fullWidth = new string([.. good.Select(c => (char)(c - '0' + '０'))]);
        var answer = await AdminForms.SubmitAsync(user, wrong, "form[action*='handler=Code']", ("Code", fullWidth));
        Assert.Contains("no-store", answer.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var codesPage = await AdminForms.HtmlAsync(answer);
        Assert.Equal("リカバリーコードの保管", codesPage.QuerySelector("h1")!.TextContent.Trim());
        var codes = codesPage.QuerySelectorAll("#recovery-codes code").Select(c => c.TextContent.Trim()).ToList();
        codes.ForEach(_app.Log.Secret);
        Assert.Equal(10, codes.Count);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Equal($"/t/{admin.Tenant.Code}/my/account", codesPage.QuerySelector("a#continue")!.GetAttribute("href"));

        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync(user.Url("/api/v1/me"))).StatusCode);
        Assert.Contains("mfa.enrolled", await _app.AuditActionsAsync(admin.Tenant));
        // The codes shown are the account's: one signs in on another browser.
        var (other, _) = _app.NewClient();
        var login = await other.PostAsJsonAsync(user.Url("/api/v1/auth/login"), new { email = user.Email, password = user.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var recovery = await other.PostAsJsonAsync(user.Url("/api/v1/auth/recovery"), new { code = codes[3] });
        Assert.Equal(HttpStatusCode.OK, recovery.StatusCode);
        Assert.DoesNotContain(_app.Log.Lines, l => codes.Any(c => l.Contains(c, StringComparison.Ordinal)) || l.Contains(base32, StringComparison.Ordinal));
    }

    /// <summary>An invited user who has set a password over the API but never registered an authenticator.</summary>
    private async Task<TenantSession> InvitedWithPasswordAsync(TenantSession admin)
    {
        var email = $"entry-{Guid.NewGuid():N}"[..14] + "@" + admin.Tenant.Code + ".lg.example";
        var invite = await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/users"), new { email, displayName = "佐藤 花子", role = "Staff" });
        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        var (client, jar) = _app.NewClient();
        var token = _app.MailedToken(email, "invitation");
        var accept = await client.PostAsJsonAsync($"/t/{admin.Tenant.Code}/api/v1/auth/invitation/accept",
            new { token, password = TenantIdentityKit.GoodPassword });
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        return new TenantSession(admin.Tenant, client, jar, email, TenantIdentityKit.GoodPassword, [], []);
    }
}
