using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using AspService.Identity;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using static AspService.Tests.Identity.DeviceFlowTests;

namespace AspService.Tests.Consoles;

/// <summary>
/// The entry pages in one language at a time, in-process: every step of the invitation (password, authenticator
/// registration, recovery codes, the used link), of sign-in (password, code, recovery code, each with its error), of the
/// forgotten password (request, mailed link, new password, the used link) and of the device sign-in approval (enter the
/// code, an unknown code, approve, done). English mode shows no Japanese at all; Japanese mode no Latin-only text.
/// People's names and addresses are their data, not labels.
/// </summary>
public sealed class EntryPagesLanguageTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private const string InvitedName = "佐藤 花子";
    private static readonly string[] Names = [InvitedName, "山田 太郎"];
    private static readonly string[] LatinNames = ["AspService", "aspagent"];
    private readonly AppFactory _app = host.App;

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    public async Task EntryPages_EveryStep_ShowOneLanguageOnly(string language)
    {
        var admin = await _app.TenantAdminAsync();
        void Check(IHtmlDocument page, string where)
        {
            if (language == "en")
            {
                PageText.NoJapanese(page, where, Names);
            }
            else
            {
                PageText.NoLatinOnly(page, where, LatinNames);
            }
        }

        // Invitation → password → authenticator → recovery codes; then the used link.
        var email = $"lang-{Guid.NewGuid():N}"[..13] + "@" + admin.Tenant.Code + ".lg.example";
        var invite = await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/users"), new { email, displayName = InvitedName, role = "Staff" });
        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        var invited = Browser(admin, email, language);
        var token = _app.MailedToken(email, "invitation");
        var invitation = await AdminForms.GetAsync(invited, "/invitation?token=" + token);
        Check(invitation, "invitation");
        var weak = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(invited, invitation, "#password-form", ("Password", "short")));
        Assert.NotNull(weak.QuerySelector("#password-error"));
        Check(weak, "invitation, weak password");
        var start = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(invited, weak, "#password-form", ("Password", TenantIdentityKit.GoodPassword)));
        Assert.NotNull(start.QuerySelector("form[action*='handler=Enroll']"));
        Check(start, "enrolment, start");
        var enroll = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(invited, start, "form[action*='handler=Enroll']"));
        var base32 = enroll.QuerySelector("#secret")!.TextContent.Trim();
        _app.Log.Secret(base32);
        Check(enroll, "enrolment, QR code and key");
        var good = _app.NextCode(Base32.Decode(base32));
        var wrongEnroll = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(invited, enroll, "form[action*='handler=Code']",
            ("Code", good == "000000" ? "111111" : "000000")));
        Assert.NotNull(wrongEnroll.QuerySelector("#code-error"));
        Check(wrongEnroll, "enrolment, wrong code");
        var codes = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(invited, wrongEnroll, "form[action*='handler=Code']", ("Code", good)));
        codes.QuerySelectorAll("#recovery-codes code").Select(c => c.TextContent.Trim()).ToList().ForEach(_app.Log.Secret);
        Assert.NotNull(codes.QuerySelector("#recovery-codes"));
        Check(codes, "recovery codes");
        Check(await AdminForms.GetAsync(Browser(admin, email, language), "/invitation?token=" + token), "invitation, used link");

        // Sign-in of an enrolled member: each step and each mistake.
        var (staff, _) = await _app.InviteAndSignInAsync(admin);
        var member = Browser(admin, staff.Email, language) with { Password = staff.Password, Secret = staff.Secret };
        var signIn = await AdminForms.GetAsync(member, "/sign-in");
        Check(signIn, "sign-in");
        var wrongPassword = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(member, signIn, "form[action*='handler=Password']",
            ("Email", staff.Email), ("Password", "not-my-password-1")));
        Assert.NotNull(wrongPassword.QuerySelector(".error-summary"));
        Check(wrongPassword, "sign-in, wrong password");
        var code = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(member, wrongPassword, "form[action*='handler=Password']",
            ("Email", staff.Email), ("Password", staff.Password)));
        Assert.NotNull(code.QuerySelector("#code"));
        Check(code, "sign-in, code");
        var next = _app.NextCode(staff.Secret);
        var wrongCode = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(member, code, "form[action*='handler=Code']",
            ("Code", next == "000000" ? "111111" : "000000")));
        Assert.NotNull(wrongCode.QuerySelector("#code-error"));
        Check(wrongCode, "sign-in, wrong code");
        var wrongRecovery = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(member, wrongCode, "form[action*='handler=Recovery']",
            ("Recovery", "aaaaa-bbbbb")));
        Assert.NotNull(wrongRecovery.QuerySelector("#recovery-error"));
        Check(wrongRecovery, "sign-in, wrong recovery code");
        var home = await AdminForms.SubmitAsync(member, wrongRecovery, "form[action*='handler=Code']", ("Code", next));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);

        // Device sign-in approval, signed in as that member.
        Check(await PageAsync(member, Https(admin.Tenant.Code, "/connect/verify")), "device approval, enter the code");
        Check(await PageAsync(member, Https(admin.Tenant.Code, "/connect/verify?user_code=ZZZZ-ZZZZ")), "device approval, unknown code");
        var device = await RequestDeviceCodeAsync(DeviceFlowTests.Agent(_app), admin.Tenant.Code);
        var approval = await PageAsync(member, Https(admin.Tenant.Code, "/connect/verify?user_code=" + device.GetProperty("user_code").GetString()));
        Assert.NotNull(approval.QuerySelector("#usercode"));
        Check(approval, "device approval");
        var (action, fields) = DeviceApproval.Form(approval.DocumentElement.OuterHtml, "Approve");
        var done = await AdminForms.FollowAsync(member, await member.Client.PostAsync(new Uri(new Uri(Https(admin.Tenant.Code, "/")), action),
            new FormUrlEncodedContent(fields)));
        Check(await AdminForms.HtmlAsync(done), "device approval, approved");

        // Forgotten password: request, mailed link, weak then good password, the used link.
        var anonymous = Browser(admin, staff.Email, language);
        var forgot = await AdminForms.GetAsync(anonymous, "/password-reset");
        Check(forgot, "password reset, request");
        var sent = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(anonymous, forgot, "#forgot-form", ("Email", staff.Email)));
        Assert.NotNull(sent.QuerySelector("#forgot-sent"));
        Check(sent, "password reset, sent");
        var resetToken = _app.MailedToken(staff.Email, "password-reset");
        var reset = await AdminForms.GetAsync(anonymous, "/password-reset?token=" + resetToken);
        Check(reset, "password reset, new password");
        var weakReset = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(anonymous, reset, "#password-form", ("Password", "short")));
        Assert.NotNull(weakReset.QuerySelector("#password-error"));
        Check(weakReset, "password reset, weak password");
        const string NewPassword = "Ueno-Koen-Shinobazu-2027";
        _app.Log.Secret(NewPassword);
        var resetDone = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(anonymous, weakReset, "#password-form", ("Password", NewPassword)));
        Assert.NotNull(resetDone.QuerySelector("#reset-done"));
        Check(resetDone, "password reset, done");
        Check(await AdminForms.GetAsync(anonymous, "/password-reset?token=" + resetToken), "password reset, used link");
    }

    /// <summary>A fresh browser of the tenant with the language chosen (the language switch's cookie).</summary>
    private TenantSession Browser(TenantSession admin, string email, string language)
    {
        var (client, jar) = _app.NewClient();
        jar.Values[".AspNetCore.Culture"] = Uri.EscapeDataString($"c={language}|uic={language}");
        return new TenantSession(admin.Tenant, client, jar, email, TenantIdentityKit.GoodPassword, [], []);
    }

    /// <summary>A page at an absolute address, whatever its status (a refusal is a page too).</summary>
    private static async Task<IHtmlDocument> PageAsync(TenantSession who, string url)
    {
        var response = await who.Client.GetAsync(url);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {url}");
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }
}
