using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Consoles;

/// <summary>Own account page in-process: changing one's password through the same use case an API would call.</summary>
public sealed class AccountPageTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task ChangePassword_WrongCurrentOrWeakNew_ShowsFieldErrors_ThenChanges_AndEndsOtherSessions()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);
        var otherBrowser = await _app.SignInAgainAsync(staff);
        const string NewPassword = "Shinjuku-Gyoen-Sakura-2027";

        var wrong = await PostAsync(staff, "not-my-password-1", NewPassword);
        Assert.Equal("true", wrong.QuerySelector("#current-password")!.GetAttribute("aria-invalid"));
        Assert.Equal("#current-password", wrong.QuerySelector(".error-summary a")!.GetAttribute("href"));
        var weak = await PostAsync(staff, TenantIdentityKit.GoodPassword, "short");
        Assert.Equal("new-password-hint new-password-error", weak.QuerySelector("#new-password")!.GetAttribute("aria-describedby"));

        var done = await PostAsync(staff, TenantIdentityKit.GoodPassword, NewPassword);
        Assert.Contains("パスワードを変更しました", done.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("password.changed", await _app.AuditActionsAsync(admin.Tenant));
        // This browser stays signed in; the other session of the account has ended.
        Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync(staff.Url("/api/v1/me"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherBrowser.GetAsync(staff.Url("/api/v1/me"))).StatusCode);
        var (fresh, _) = _app.NewClient();
        var login = await fresh.PostAsJsonAsync(staff.Url("/api/v1/auth/login"), new { email = staff.Email, password = NewPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    private static async Task<IHtmlDocument> PostAsync(TenantSession staff, string current, string next)
    {
        var page = new HtmlParser().ParseDocument(await staff.Client.GetStringAsync(staff.Url("/my/account")));
        var form = (IHtmlFormElement)page.QuerySelector("form[method=post][action*='handler=Password']")!;
        var fields = form.Elements.OfType<IHtmlInputElement>().Where(i => i.Name is not null)
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Name switch { "CurrentPassword" => current, "NewPassword" => next, _ => i.Value }));
        var answer = await staff.Client.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
        if (answer.StatusCode == HttpStatusCode.Redirect)
        {
            answer = await staff.Client.GetAsync(answer.Headers.Location);
        }

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return new HtmlParser().ParseDocument(await answer.Content.ReadAsStringAsync());
    }
}

internal static class SecondSession
{
    /// <summary>The same user signed in again in another browser (password + TOTP over the API).</summary>
    public static async Task<HttpClient> SignInAgainAsync(this AppFactory app, TenantSession user)
    {
        var (client, _) = app.NewClient();
        var login = await client.PostAsJsonAsync(user.Url("/api/v1/auth/login"), new { email = user.Email, password = user.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var code = await client.PostAsJsonAsync(user.Url("/api/v1/auth/totp"), new { code = app.NextCode(user.Secret) });
        Assert.Equal(HttpStatusCode.OK, code.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(user.Url("/api/v1/me"))).StatusCode);
        return client;
    }
}
