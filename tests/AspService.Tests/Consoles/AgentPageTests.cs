using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;

namespace AspService.Tests.Consoles;

/// <summary>
/// 「自宅 PC の準備と接続」in-process: where to get the agent, a one-time token for the staff member's own home PC when
/// the policy allows it (the token really enrolls a device for them), and the install command naming this tenant.
/// </summary>
public sealed class AgentPageTests
{
    [Fact]
    public async Task SelfRegistrationOff_TellsToAskTheAdministrators_NoForm_NoDownloadsUnlessConfigured()
    {
        using var app = new AppFactory();
        var admin = await app.TenantAdminAsync();
        var (staff, _) = await app.InviteAndSignInAsync(admin);

        var page = await GetAsync(staff);

        Assert.Null(page.QuerySelector("form[method=post]:not(.language):not(.signout)"));
        Assert.Contains("管理者に依頼してください", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("団体の管理者から入手してください", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll("main a[href$='aspagent.exe']"));
    }

    [Fact]
    public async Task SelfRegistrationOn_IssuesAOneTimeTokenShownOnce_WithTheInstallCommand_AndItEnrollsTheirHomePc()
    {
        using var app = new AppFactory(settings: new() { ["AgentDownload:BaseUrl"] = "https://downloads.provider.example/aspagent/" });
        var admin = await app.TenantAdminAsync();
        var (staff, staffId) = await app.InviteAndSignInAsync(admin);
        await AllowSelfRegistrationAsync(admin);

        var page = await GetAsync(staff);
        Assert.Equal("https://downloads.provider.example/aspagent/win-x64/aspagent.exe", page.QuerySelector("main a[href$='aspagent.exe']")!.GetAttribute("href"));
        var form = (IHtmlFormElement)page.QuerySelector("main form[method=post]")!;
        var fields = form.Elements.OfType<IHtmlInputElement>().Where(i => i.Name is not null)
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Name == "Name" ? "自宅のノートPC" : i.Value));
        var answer = await staff.Client.PostAsync(staff.Url("/my/agent"), new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("no-store", answer.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var issued = new HtmlParser().ParseDocument(await answer.Content.ReadAsStringAsync());
        var token = issued.QuerySelector(".notice .usercode")!.TextContent.Trim();
        var command = issued.QuerySelector("pre.command code")!.TextContent;
        // --server is this tenant's public root (https://{code}.{BaseDomain} here, or {base}/t/{code}).
        Assert.Matches($@"^powershell -ExecutionPolicy Bypass -File Install-HomeAgent\.ps1 -Server https?://\S*{admin.Tenant.Code}\S* -Token {token}$", command);

        // The token enrolls a home device owned by this staff member, named as asked.
        var device = await TerminalKit.EnrollAsync(app.ClientFor(), admin.Tenant.Code, token);
        Assert.Equal("home", device.Answer.GetProperty("kind").GetString());
        var mine = await staff.Client.GetFromJsonAsync<JsonElement>(staff.Url("/api/v1/me/terminals"));
        var home = mine.GetProperty("home").EnumerateArray().Single();
        Assert.Equal("自宅のノートPC", home.GetProperty("name").GetString());
        Assert.Equal(staffId, home.GetProperty("ownerUserId").GetGuid());

        // The page never shows the token again.
        Assert.DoesNotContain(token, await staff.Client.GetStringAsync(staff.Url("/my/agent")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutAntiforgery_IsRefused_AndIssuesNothing()
    {
        using var app = new AppFactory();
        var admin = await app.TenantAdminAsync();
        var (staff, _) = await app.InviteAndSignInAsync(admin);
        await AllowSelfRegistrationAsync(admin);

        var forged = await staff.Client.PostAsync(staff.Url("/my/agent"), new FormUrlEncodedContent([new("Name", "x")]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var tokens = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/enrollment-tokens?open=true"));
        Assert.Equal(0, tokens.GetArrayLength());
    }

    private static async Task<IHtmlDocument> GetAsync(TenantSession who)
    {
        var answer = await who.Client.GetAsync(who.Url("/my/agent"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return new HtmlParser().ParseDocument(await answer.Content.ReadAsStringAsync());
    }

    private static async Task AllowSelfRegistrationAsync(TenantSession admin)
    {
        var policy = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/policy"));
        var document = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(policy.GetProperty("policy").GetRawText())!;
        document["allowHomeSelfRegistration"] = JsonSerializer.SerializeToElement(true);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PutAsJsonAsync(admin.Url("/api/v1/policy"), document)).StatusCode);
    }
}
