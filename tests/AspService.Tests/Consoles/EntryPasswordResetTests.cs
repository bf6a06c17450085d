using System.Net;
using System.Net.Http.Json;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Consoles;

/// <summary>
/// Forgotten password as pages, in-process (these replace the old portal's forwarding page at the mail's path):
/// the request answers the same for a known and an unknown address; the mailed link takes a new password (a weak
/// one refused next to the field); the used link and a wrong one say so.
/// </summary>
public sealed class EntryPasswordResetTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task Forgot_KnownAndUnknownAddress_SameAnswer_LinkSetsPassword_ThenUsed()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);
        var visitor = Visitor(admin);

        var signIn = await AdminForms.GetAsync(visitor, "/sign-in");
        Assert.Equal($"/t/{admin.Tenant.Code}/password-reset", signIn.QuerySelector("a[href*='password-reset']")!.GetAttribute("href"));

        var unknownAnswer = await RequestAsync(visitor, "nobody-" + Guid.NewGuid().ToString("N")[..8] + "@" + admin.Tenant.Code + ".lg.example");
        var knownAnswer = await RequestAsync(visitor, staff.Email);
        Assert.Equal(unknownAnswer, knownAnswer);
        Assert.Contains("再設定のリンクをメールで送りました", knownAnswer, StringComparison.Ordinal);

        var token = _app.MailedToken(staff.Email, "password-reset");
        var page = await AdminForms.GetAsync(visitor, "/password-reset?token=" + token);
        Assert.Equal(staff.Email, page.QuerySelector("#username")!.GetAttribute("value"));
        var weak = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(visitor, page, "form#password-form", ("Password", "short")));
        Assert.Equal("true", weak.QuerySelector("#password")!.GetAttribute("aria-invalid"));
        Assert.Equal("password-hint password-error", weak.QuerySelector("#password")!.GetAttribute("aria-describedby"));
        Assert.Equal("#password", weak.QuerySelector(".error-summary a")!.GetAttribute("href"));

        const string NewPassword = "Kanda-Myojin-Matsuri-2027";
        _app.Log.Secret(NewPassword);
        var done = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(visitor, weak, "form#password-form", ("Password", NewPassword)));
        Assert.NotNull(done.QuerySelector("#reset-done"));
        Assert.Contains("password.reset", await _app.AuditActionsAsync(admin.Tenant));
        var (client, _) = _app.NewClient();
        var login = await client.PostAsJsonAsync(staff.Url("/api/v1/auth/login"), new { email = staff.Email, password = NewPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        var used = await AdminForms.GetAsync(visitor, "/password-reset?token=" + token);
        Assert.Contains("使用済みか、有効期限が切れています", used.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Null(used.QuerySelector("#password"));
        var wrong = await AdminForms.GetAsync(visitor, "/password-reset?token=not-a-real-token");
        Assert.Null(wrong.QuerySelector("#password"));
    }

    private static async Task<string> RequestAsync(TenantSession visitor, string email)
    {
        var form = await AdminForms.GetAsync(visitor, "/password-reset");
        var answer = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(visitor, form, "form#forgot-form", ("Email", email)));
        return answer.QuerySelector("#forgot-sent")!.TextContent.Trim();
    }

    private TenantSession Visitor(TenantSession admin)
    {
        var (client, jar) = _app.NewClient();
        return new TenantSession(admin.Tenant, client, jar, "", "", [], []);
    }
}
