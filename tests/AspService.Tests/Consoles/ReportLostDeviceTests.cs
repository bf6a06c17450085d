using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Relay;
using AspService.Tests.Terminals;

namespace AspService.Tests.Consoles;

/// <summary>
/// 「端末の紛失・盗難の届出」 from the staff page over the real host: the device's next mTLS handshake (real TLS on
/// loopback) is refused, the reporter's agent token is dead, the admins are mailed, it is audited; nobody else can
/// report a device that is not their own.
/// </summary>
public sealed class ReportLostDeviceTests(KestrelHost host) : IClassFixture<KestrelHost>
{
    private AppFactory App => host.App;

    [Fact]
    public async Task Owner_ReportsHomeDeviceLost_NextHandshakeRefused_TokensRevoked_AdminsMailed()
    {
        var admin = await App.TenantAdminAsync();
        var (staff, staffId) = await App.InviteAndSignInAsync(admin);
        var (other, _) = await App.InviteAndSignInAsync(admin);
        var elsewhere = await App.TenantAdminAsync();
        using var web = App.CreateDefaultClient(App.WebAddress);
        var home = await TerminalKit.EnrollAsync(web, admin.Tenant.Code, await admin.TokenAsync("home", ownerUserId: staffId), "自宅ノートPC");
        var access = await RelayKit.DeviceTokenAsync(web, staff);
        using (var before = App.MtlsClient(home.Certificate))
        {
            Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/v1/terminal")).StatusCode);
        }

        // The owner's list links to the report; another staff member, or another tenant's user, gets 404 and changes nothing.
        var list = await Html(await staff.Client.GetAsync(staff.Url("/my/terminals")));
        var link = list.QuerySelectorAll("a").Single(a => a.TextContent.Contains("自宅ノートPC", StringComparison.Ordinal)).GetAttribute("href")!;
        Assert.Equal(staff.Url($"/my/terminals/{home.Id}/lost"), link);
        var page = await staff.Client.GetAsync(link);
        var form = (IHtmlFormElement)(await Html(page)).QuerySelector("form[method=post]:not([action])")!;
        var fields = Fields(form, ("Kind", "stolen"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync(other.Url($"/my/terminals/{home.Id}/lost"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.PostAsync(other.Url($"/my/terminals/{home.Id}/lost"),
            new FormUrlEncodedContent(Fields((IHtmlFormElement)(await Html(await other.Client.GetAsync(other.Url("/my/terminals"))))
                .QuerySelector("form[method=post]")!)))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.Client.GetAsync(elsewhere.Url($"/my/terminals/{home.Id}/lost"))).StatusCode);
        using (var stillFine = App.MtlsClient(home.Certificate))
        {
            Assert.Equal(HttpStatusCode.OK, (await stillFine.GetAsync("/api/v1/terminal")).StatusCode);
        }

        // Without the page's antiforgery token nothing happens either.
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.Client.PostAsync(link, new FormUrlEncodedContent([new("Kind", "lost")]))).StatusCode);

        // The client follows the post/redirect/get back to the list.
        var reported = await staff.Client.PostAsync(link, new FormUrlEncodedContent(fields));
        Assert.Equal(staff.Url("/my/terminals"), reported.RequestMessage!.RequestUri!.AbsolutePath);
        var after = await Html(reported);
        Assert.Contains("自宅ノートPC の届出を受け付けました", after.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("停止中", after.QuerySelector("table")!.TextContent, StringComparison.Ordinal);

        using (var refused = App.MtlsClient(home.Certificate))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => refused.GetAsync("/api/v1/terminal"));
        }

        using (var whoami = new HttpRequestMessage(HttpMethod.Get, $"/t/{admin.Tenant.Code}/api/v1/agent/whoami"))
        {
            whoami.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
            Assert.Equal(HttpStatusCode.Unauthorized, (await web.SendAsync(whoami)).StatusCode);
        }

        var audit = await App.AuditActionsAsync(admin.Tenant);
        Assert.Contains("terminal.reported_lost", audit);
        Assert.Contains("certificate.revoked", audit);
        Assert.Contains("tokens.revoked", audit);
        Assert.Contains("terminal.handshake_refused", audit);
        Assert.DoesNotContain("terminal.reported_lost", await App.AuditActionsAsync(elsewhere.Tenant));
        var mail = MailTo(admin.Email);
        Assert.Contains("端末の盗難の届出がありました", mail, StringComparison.Ordinal);
        Assert.Contains("自宅ノートPC", mail, StringComparison.Ordinal);
        Assert.Contains(staff.Email, mail, StringComparison.Ordinal);
        Assert.Null(MailToOrNull(elsewhere.Email));
    }

    private string MailTo(string address) => MailToOrNull(address) ?? throw new Xunit.Sdk.XunitException("no lost-device mail to " + address);

    private string? MailToOrNull(string address)
    {
        var folder = Path.Combine(App.DataRoot, "mail");
        return Directory.GetFiles(folder, "*.eml").Select(File.ReadAllText)
            .Where(m => Outbox.IsTo(m, address))
            .Select(TenantIdentityKit.Body).FirstOrDefault(b => b.Contains("届出", StringComparison.Ordinal));
    }

    private static async Task<IHtmlDocument> Html(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}");
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    private static List<KeyValuePair<string, string>> Fields(IHtmlFormElement form, params (string Name, string Value)[] set) =>
        [.. form.Elements.OfType<IHtmlInputElement>().Where(i => i.Name is not null && i.Type is not ("radio"))
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
            .Concat(set.Select(s => new KeyValuePair<string, string>(s.Name, s.Value)))];
}
