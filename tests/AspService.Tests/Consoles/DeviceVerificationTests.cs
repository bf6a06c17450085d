using System.Net;
using System.Text.Json;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using static AspService.Tests.Identity.DeviceFlowTests;

namespace AspService.Tests.Consoles;

/// <summary>
/// The device sign-in approval page over the real host: GET only shows, Approve/Deny are antiforgery POSTs by a
/// signed-in member of the tenant, and a decided code can be neither replayed nor used to revoke (issue 12, defect 3).
/// </summary>
public sealed class DeviceVerificationTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task ApprovedCode_OpenedAgainAnonymouslyOrSignedIn_LeavesTheAgentsTokensValid()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);
        var agent = DeviceFlowTests.Agent(_app);
        var device = await RequestDeviceCodeAsync(agent, admin.Tenant.Code);
        var userCode = device.GetProperty("user_code").GetString()!;
        await DeviceApproval.ApproveAsync(staff.Client, Https(admin.Tenant.Code, "/connect/verify"), userCode);
        var issued = await PollAsync(agent, admin.Tenant.Code, device.GetProperty("device_code").GetString()!);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var tokens = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var access = tokens.GetProperty("access_token").GetString()!;
        var refresh = tokens.GetProperty("refresh_token").GetString()!;

        // The reproduction of defect 3: an anonymous GET of the printed link with the approved code.
        var link = Https(admin.Tenant.Code, "/connect/verify?user_code=" + Uri.EscapeDataString(userCode));
        var anonymous = await DeviceFlowTests.Agent(_app).GetAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        // The signed-in user reopening the link, and a replayed Approve with a fresh antiforgery token.
        var reopened = await staff.Client.GetAsync(link);
        Assert.Equal(HttpStatusCode.BadRequest, reopened.StatusCode);
        var page = new HtmlParser().ParseDocument(await reopened.Content.ReadAsStringAsync());
        Assert.NotNull(page.QuerySelector(".error-summary"));
        Assert.Empty(page.QuerySelectorAll("button[formaction*='handler=Approve']"));
        var replay = await ReplayApproveAsync(staff, userCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(agent, admin.Tenant.Code, access)).StatusCode);
        var refreshed = await RefreshAsync(agent, admin.Tenant.Code, refresh);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var renewed = (await refreshed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(agent, admin.Tenant.Code, renewed)).StatusCode);
        Assert.DoesNotContain("tokens.revoked", await _app.AuditActionsAsync(admin.Tenant));
    }

    [Fact]
    public async Task Approve_WithoutAntiforgeryOrSignIn_ChangesNothing()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);
        var agent = DeviceFlowTests.Agent(_app);
        var device = await RequestDeviceCodeAsync(agent, admin.Tenant.Code);
        var userCode = device.GetProperty("user_code").GetString()!;
        var url = Https(admin.Tenant.Code, "/connect/verify?handler=Approve");

        // The old API shape: a bare form POST by the signed-in browser, no antiforgery token.
        var bare = await staff.Client.PostAsync(url, Form(("user_code", userCode)));
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        // Anonymous with a token taken from someone's page is refused too (the token is bound to that user).
        var (_, fields) = DeviceApproval.Form(await (await staff.Client.GetAsync(Https(admin.Tenant.Code,
            "/connect/verify?user_code=" + userCode))).Content.ReadAsStringAsync(), "Approve");
        Assert.Equal(HttpStatusCode.BadRequest, (await DeviceFlowTests.Agent(_app).PostAsync(url, new FormUrlEncodedContent(fields))).StatusCode);

        var pending = await PollAsync(agent, admin.Tenant.Code, device.GetProperty("device_code").GetString()!);
        Assert.Equal("authorization_pending", (await pending.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        // Still approvable by its owner afterwards.
        await DeviceApproval.ApproveAsync(staff.Client, Https(admin.Tenant.Code, "/connect/verify"), userCode);
    }

    [Fact]
    public async Task Deny_AgentGetsAccessDenied_AndTheCodeCannotBeApprovedLater()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);
        var agent = DeviceFlowTests.Agent(_app);
        var device = await RequestDeviceCodeAsync(agent, admin.Tenant.Code);
        var userCode = device.GetProperty("user_code").GetString()!;

        var denied = await DeviceApproval.DecideAsync(staff.Client, Https(admin.Tenant.Code, "/connect/verify"), userCode, "Deny");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.EndsWith("result=denied", denied.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var poll = await PollAsync(agent, admin.Tenant.Code, device.GetProperty("device_code").GetString()!);
        Assert.Equal("access_denied", (await poll.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await ReplayApproveAsync(staff, userCode)).StatusCode);
        Assert.Contains("tokens.device_denied", await _app.AuditActionsAsync(admin.Tenant));
    }

    [Fact]
    public async Task TypedCode_FullWidthWithSpaces_FindsTheRequest()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(admin);
        var device = await RequestDeviceCodeAsync(DeviceFlowTests.Agent(_app), admin.Tenant.Code);
        var userCode = device.GetProperty("user_code").GetString()!;
        // What a person may type: full-width characters, an ideographic space, a full-width hyphen.
        var typed = string.Concat(userCode.Select(c => char.IsAsciiLetterOrDigit(c) ? (char)(c + 0xFEE0) : '－')).Insert(2, "\u3000");

        var form = await staff.Client.GetAsync(Https(admin.Tenant.Code, "/connect/verify"));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.NotNull(new HtmlParser().ParseDocument(await form.Content.ReadAsStringAsync()).QuerySelector("form[method=get] input#user_code"));
        var redirect = await staff.Client.GetAsync(Https(admin.Tenant.Code, "/connect/verify?user_code=" + Uri.EscapeDataString(typed)));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var shown = await staff.Client.GetAsync(new Uri(new Uri(Https(admin.Tenant.Code, "/")), redirect.Headers.Location!));
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.NotEmpty(new HtmlParser().ParseDocument(await shown.Content.ReadAsStringAsync()).QuerySelectorAll("button[formaction*='handler=Approve']"));
    }

    [Fact]
    public async Task OtherTenantsCode_IsRefused_AndStaysApprovableAtHome()
    {
        var a = await _app.TenantAdminAsync();
        var b = await _app.TenantAdminAsync();
        var (staffA, _) = await _app.InviteAndSignInAsync(a);
        var device = await RequestDeviceCodeAsync(DeviceFlowTests.Agent(_app), a.Tenant.Code);
        var userCode = device.GetProperty("user_code").GetString()!;

        var atB = await b.Client.GetAsync(Https(b.Tenant.Code, "/connect/verify?user_code=" + userCode));
        Assert.Equal(HttpStatusCode.BadRequest, atB.StatusCode);
        // A's session cookie is not a session at B: B's page asks for B's sign-in.
        var crossCookie = await staffA.Client.GetAsync(Https(b.Tenant.Code, "/connect/verify?user_code=" + userCode));
        Assert.Equal(HttpStatusCode.Redirect, crossCookie.StatusCode);

        await DeviceApproval.ApproveAsync(staffA.Client, Https(a.Tenant.Code, "/connect/verify"), userCode);
    }

    /// <summary>POST Approve for a code with a valid antiforgery token taken from another page of the same session.</summary>
    private static async Task<HttpResponseMessage> ReplayApproveAsync(TenantSession staff, string userCode)
    {
        var blank = await staff.Client.GetAsync(Https(staff.Tenant.Code, "/connect/verify"));
        var token = new HtmlParser().ParseDocument(await blank.Content.ReadAsStringAsync())
            .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await staff.Client.PostAsync(Https(staff.Tenant.Code, "/connect/verify?handler=Approve"),
            Form(("user_code", userCode), ("__RequestVerificationToken", token)));
    }
}
