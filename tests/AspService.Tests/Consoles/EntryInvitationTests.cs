using System.Net;
using System.Net.Http.Json;
using AspService.Identity;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Consoles;

/// <summary>
/// The invitation mail's link as a page, in-process: a weak password is refused next to the field, a good one leads
/// straight into the authenticator registration and the recovery codes; the used link, a wrong one and an expired
/// one say so.
/// </summary>
public sealed class EntryInvitationTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task Invitation_WeakPassword_FieldError_ThenPassword_Enrollment_RecoveryCodes_SignedIn_LinkThenUsed()
    {
        var admin = await _app.TenantAdminAsync();
        var email = await InviteAsync(admin);
        var user = Visitor(admin, email);
        var token = _app.MailedToken(email, "invitation");

        var page = await AdminForms.GetAsync(user, "/invitation?token=" + token);
        Assert.Equal("パスワードの設定", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal(email, page.QuerySelector("#email")!.GetAttribute("value"));
        Assert.Contains("12 文字以上", page.QuerySelector("#password-hint")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("form input[name=__RequestVerificationToken]"));

        var weak = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(user, page, "form#password-form", ("Password", "short")));
        Assert.Equal("true", weak.QuerySelector("#password")!.GetAttribute("aria-invalid"));
        Assert.Equal("password-hint password-error", weak.QuerySelector("#password")!.GetAttribute("aria-describedby"));
        Assert.Equal("#password", weak.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.False(string.IsNullOrWhiteSpace(weak.QuerySelector("#password-error")!.TextContent));

        var start = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(user, weak, "form#password-form", ("Password", user.Password)));
        Assert.Equal("認証アプリの登録", start.QuerySelector("h1")!.TextContent.Trim());
        var enroll = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(user, start, "form[action*='handler=Enroll']"));
        var base32 = enroll.QuerySelector("#secret")!.TextContent.Trim();
        _app.Log.Secret(base32);
        var codes = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(user, enroll, "form[action*='handler=Code']",
            ("Code", _app.NextCode(Base32.Decode(base32)))));
        Assert.Equal(10, codes.QuerySelectorAll("#recovery-codes code").Length);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync(user.Url("/api/v1/me"))).StatusCode);
        Assert.Contains("user.invitation_accepted", await _app.AuditActionsAsync(admin.Tenant));

        // The link is used up: it says so, in a fresh browser too.
        var (fresh, freshJar) = _app.NewClient();
        var stranger = new TenantSession(admin.Tenant, fresh, freshJar, email, "", [], []);
        var used = await AdminForms.GetAsync(stranger, "/invitation?token=" + token);
        Assert.Contains("使用済みか、有効期限が切れています", used.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Null(used.QuerySelector("#password"));
    }

    [Fact]
    public async Task Invitation_WrongOrExpiredLink_SaysSo_NoForm()
    {
        var admin = await _app.TenantAdminAsync();
        var email = await InviteAsync(admin);
        var user = Visitor(admin, email);
        var token = _app.MailedToken(email, "invitation");

        var wrong = await AdminForms.GetAsync(user, "/invitation?token=not-a-real-token");
        Assert.NotNull(wrong.QuerySelector(".notice"));
        Assert.Null(wrong.QuerySelector("#password"));

        // The form was opened in time, sent too late: refused, and the password is not set.
        var opened = await AdminForms.GetAsync(user, "/invitation?token=" + token);
        _app.Clock.Advance(TimeSpan.FromHours(73));
        var late = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(user, opened, "form#password-form", ("Password", user.Password)));
        Assert.Contains("有効期限", late.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Null(late.QuerySelector("#password"));
        var expired = await AdminForms.GetAsync(user, "/invitation?token=" + token);
        Assert.Null(expired.QuerySelector("#password"));
        var login = await user.Client.PostAsJsonAsync(user.Url("/api/v1/auth/login"), new { email, password = user.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    private static async Task<string> InviteAsync(TenantSession admin)
    {
        var email = $"inv-{Guid.NewGuid():N}"[..12] + "@" + admin.Tenant.Code + ".lg.example";
        var invite = await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/users"), new { email, displayName = "鈴木 一郎", role = "Staff" });
        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        return email;
    }

    private TenantSession Visitor(TenantSession admin, string email)
    {
        var (client, jar) = _app.NewClient();
        return new TenantSession(admin.Tenant, client, jar, email, TenantIdentityKit.GoodPassword, [], []);
    }
}
