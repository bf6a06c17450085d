using System.Net;
using AngleSharp.Html.Dom;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;
using Microsoft.Playwright;

namespace AspService.Tests.Consoles;

/// <summary>
/// The administrators' terminals screen over the real host: a token issued on the page is shown once and enrolls a
/// terminal; revoking asks first, then the terminal is refused at its next handshake; staff get 403, the signed-out
/// go to sign-in, another tenant's admin cannot revoke by id; in chromium every state passes axe-core in clean Japanese.
/// </summary>
public sealed class AdminTerminalsTests(KestrelHost host, Chromium chromium) : IClassFixture<KestrelHost>, IClassFixture<Chromium>
{
    private AppFactory App => host.App;

    [Fact]
    public async Task IssueTokenShownOnce_Enroll_RevokeAfterConfirmation_RefusedAtHandshake()
    {
        var admin = await App.TenantAdminAsync();
        var page = await AdminForms.GetAsync(admin, "/admin/terminals");
        var issued = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, page, "form[action*='handler=Issue']", ("Kind", "office"), ("Name", "総務課-01")));
        var token = issued.QuerySelector("#issued-token")!.TextContent.Trim();
        Assert.True(token.Length >= 40, token);
        // Shown once: not on the next visit.
        Assert.DoesNotContain(token, await admin.Client.GetStringAsync(admin.Url("/admin/terminals")), StringComparison.Ordinal);
        // A home token without an owner: the error sits next to the owner field.
        var noOwner = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, page, "form[action*='handler=Issue']", ("Kind", "home")));
        Assert.Equal("true", noOwner.QuerySelector("#ownerUserId")!.GetAttribute("aria-invalid"));

        using var web = App.CreateDefaultClient(App.WebAddress);
        var office = await TerminalKit.EnrollAsync(web, admin.Tenant.Code, token, "総務課-01");
        using (var ok = App.MtlsClient(office.Certificate))
        {
            Assert.Equal(HttpStatusCode.OK, (await ok.GetAsync("/api/v1/terminal")).StatusCode);
        }

        var list = await AdminForms.GetAsync(admin, "/admin/terminals");
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("総務課-01", StringComparison.Ordinal));
        Assert.Contains("利用中", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("オフライン", row.TextContent, StringComparison.Ordinal);

        var asked = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, list, "tbody form[action*='handler=Revoke']"));
        Assert.Contains("次の接続は拒否され", asked.QuerySelector(".notice.warning")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("certificate.revoked", await App.AuditActionsAsync(admin.Tenant));
        var revoked = await AdminForms.HtmlAsync(await AdminForms.SubmitAsync(admin, asked, ".notice.warning form"));
        Assert.Contains("失効しました", revoked.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("certificate.revoked", await App.AuditActionsAsync(admin.Tenant));
        using (var refused = App.MtlsClient(office.Certificate))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => refused.GetAsync("/api/v1/terminal"));
        }
    }

    [Fact]
    public async Task Staff403_SignedOutToSignIn_OtherTenantCannotRevokeById()
    {
        var a = await App.TenantAdminAsync();
        var (staff, _) = await App.InviteAndSignInAsync(a);
        var b = await App.TenantAdminAsync();
        using var web = App.CreateDefaultClient(App.WebAddress);
        var office = await TerminalKit.EnrollAsync(web, a.Tenant.Code, await a.TokenAsync("office"), "機密-A-端末");
        var id = office.Answer.GetProperty("terminalId").GetGuid();

        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url("/admin/terminals"))).StatusCode);
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = App.WebAddress };
        var signedOut = await anonymous.GetAsync(a.Url("/admin/terminals"));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Contains(a.Url("/sign-in?returnUrl="), signedOut.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var bPage = await AdminForms.GetAsync(b, "/admin/terminals");
        Assert.DoesNotContain("機密-A-端末", bPage.Body!.TextContent, StringComparison.Ordinal);
        foreach (var confirmed in new[] { "false", "true" })
        {
            var answer = await b.Client.PostAsync(b.Url("/admin/terminals?handler=Revoke"), new FormUrlEncodedContent(
                [new("__RequestVerificationToken", AdminForms.Token(bPage)), new("terminal", id.ToString()), new("confirmed", confirmed)]));
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        }

        Assert.DoesNotContain("certificate.revoked", await App.AuditActionsAsync(a.Tenant));
        using var still = App.MtlsClient(office.Certificate);
        Assert.Equal(HttpStatusCode.OK, (await still.GetAsync("/api/v1/terminal")).StatusCode);
    }

    [Fact]
    public async Task TerminalsPage_InChromium_AccessibleCleanJapanese_OnPhone()
    {
        var admin = await App.TenantAdminAsync();
        using var web = App.CreateDefaultClient(App.WebAddress);
        await TerminalKit.EnrollAsync(web, admin.Tenant.Code, await admin.TokenAsync("office"), "総務課-02");
        await using var context = await chromium.ContextAsync();
        await context.AddCookiesAsync([.. admin.Cookies.Values.Select(c => new Microsoft.Playwright.Cookie { Name = c.Key, Value = c.Value, Url = App.WebAddress.ToString() })]);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(App.WebAddress.ToString().TrimEnd('/') + $"/t/{admin.Tenant.Code}/admin/terminals");
        await CheckAsync(page);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "登録用トークンを発行する" }).ClickAsync();
        await page.WaitForSelectorAsync("#issued-token");
        await CheckAsync(page);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "総務課-02 の証明書を失効する" }).ClickAsync();
        await page.WaitForSelectorAsync(".notice.warning");
        await CheckAsync(page);
    }

    private static async Task CheckAsync(IPage page)
    {
        await PageChecks.AxeAsync(page);
        await PageChecks.NoLatinOnlyTextAsync(page, "AspService");
        await PageChecks.FitsWidthAsync(page);
    }
}
