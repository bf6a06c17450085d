using System.Net;
using System.Net.Http.Json;
using System.Text;
using AspService.Server.Tenancy;
using AspService.Tenancy;
using AspService.Tests.Billing;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Consoles;

/// <summary>
/// The operator console in-process (real host, SQLite): who reaches it, billing with a closed month, applications
/// with their mails, tenants with their steps in words and confirmation before suspending.
/// </summary>
public sealed class OpsConsoleTests : IDisposable
{
    // Its own host per test: a monthly close issues invoices for every tenant of the catalog.
    private readonly AppFactory _app = new(settings: new Dictionary<string, string?>(BillingApiTests.Settings())
    {
        ["Mail:ProviderName"] = "株式会社テストASP 自治体テレワーク窓口",
        ["Mail:ProviderContact"] = "support@asp-provider.example",
    });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task SignedOut_OperatorPagesAndJobs_RedirectToSignIn_ApiStaysProblemJson()
    {
        var browser = _app.ClientFor();

        foreach (var path in new[] { "/ops", "/ops/", "/ops/billing", "/ops/tenants", "/ops/applications", "/ops/jobs", "/ops/jobs/recurring" })
        {
            var answer = await browser.GetHtmlAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.Equal("/ops/sign-in?returnUrl=" + Uri.EscapeDataString(path), answer.Headers.Location!.OriginalString);
        }

        var program = await browser.GetAsync("/ops/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, program.StatusCode);
        Assert.Equal("application/problem+json", program.Content.Headers.ContentType!.MediaType);
        var api = await browser.GetHtmlAsync("/api/v1/ops/tenants");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        var signIn = await browser.PageAsync("/ops/sign-in?returnUrl=%2Fops%2Fjobs");
        Assert.Equal("運用者のサインイン", signIn.QuerySelector("h1")!.TextContent.Trim());
        Assert.NotNull(signIn.QuerySelector("form input[name=__RequestVerificationToken]"));
    }

    [Fact]
    public async Task SignInPage_WrongPassword_FieldError_ThenPasswordEnrolCode_SignsIn()
    {
        var email = $"op-{Guid.NewGuid():N}"[..12] + "@provider.example";
        await _app.CreateOperatorAsync(email);
        var browser = _app.ClientFor();

        var wrong = await browser.SubmitAsync("/ops/sign-in", "form[action*='handler=Password']",
            new Dictionary<string, string> { ["Email"] = email, ["Password"] = "not-the-password-1" });
        Assert.Equal("true", wrong.Page.QuerySelector("#email")!.GetAttribute("aria-invalid"));
        var start = await browser.SubmitAsync("/ops/sign-in", "form[action*='handler=Password']",
            new Dictionary<string, string> { ["Email"] = email, ["Password"] = AppFactory.OperatorPassword });
        Assert.Equal("認証アプリの登録", start.Page.QuerySelector("h1")!.TextContent.Trim());
        var startForm = start.Page.QuerySelector("form[action*='handler=Enroll']")!;
        var enrolAnswer = await browser.PostAsync(startForm.GetAttribute("action"), new FormUrlEncodedContent(
            [new("__RequestVerificationToken", startForm.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!)]));
        var enrol = (Page: new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await enrolAnswer.Content.ReadAsStringAsync()), Path: "");
        Assert.StartsWith("data:image/svg+xml;base64,", enrol.Page.QuerySelector(".qr img")!.GetAttribute("src"), StringComparison.Ordinal);
        var secret = AspService.Identity.Base32.Decode(enrol.Page.QuerySelector("#secret")!.TextContent.Trim());
        _app.Log.Secret(enrol.Page.QuerySelector("#secret")!.TextContent.Trim());
        var form = enrol.Page.QuerySelector("form[action*='handler=Code']")!;
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var signedIn = await browser.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("Code", _app.NextCode(secret)), new("ReturnUrl", "/ops/billing")]));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/ops/billing", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetHtmlAsync("/ops/billing")).StatusCode);

        // Signing out is a POST with the page's token; afterwards the console is behind sign-in again.
        var signedOut = await browser.SubmitAsync("/ops", "form.signout", new Dictionary<string, string>());
        Assert.StartsWith("/ops/sign-in", signedOut.Path, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetHtmlAsync("/ops/billing")).StatusCode);
    }

    [Fact]
    public async Task EnglishChosen_OperatorPagesInCleanEnglish()
    {
        var ops = await _app.OperatorClientAsync();
        var home = await ops.PageAsync("/ops");
        var language = home.QuerySelector("form.language")!;
        var switched = await ops.PostAsync(language.GetAttribute("action"), new FormUrlEncodedContent(
            [new("__RequestVerificationToken", language.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!),
             new("culture", "en"), new("returnUrl", "/ops/billing")]));
        Assert.Equal("/ops/billing", switched.Headers.Location!.OriginalString);

        var billing = await ops.PageAsync("/ops/billing");
        Assert.Equal("en", billing.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Billing", billing.QuerySelector("h1")!.TextContent.Trim());
        Assert.DoesNotMatch("[\\p{IsHiragana}\\p{IsKatakana}]", billing.QuerySelector("nav")!.TextContent);
    }

    [Fact]
    public async Task TenantAdminSession_CannotReachOperatorPages()
    {
        var admin = await _app.TenantAdminAsync();

        foreach (var path in new[] { "/ops", "/ops/billing", "/ops/tenants/" + admin.Tenant.Code, "/ops/jobs" })
        {
            var answer = await admin.Client.GetHtmlAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.StartsWith("/ops/sign-in?", answer.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        // Inside the tenant the operator pages do not exist at all.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetHtmlAsync($"/t/{admin.Tenant.Code}/ops/billing")).StatusCode);
    }

    [Fact]
    public async Task OneTimePassword_EveryPageSendsToPasswordPage_UntilChanged()
    {
        var (email, oneTime) = await _app.CreateOperatorByCliAsync();
        var client = _app.ClientFor();
        (await client.PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = oneTime })).EnsureSuccessStatusCode();
        var enroll = await client.PostAsync("/api/v1/ops/auth/totp/enroll", null);
        var secret = AspService.Identity.Base32.Decode((await enroll.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("secret").GetString()!);
        (await client.PostAsJsonAsync("/api/v1/ops/auth/totp", new { code = _app.NextCode(secret) })).EnsureSuccessStatusCode();

        foreach (var path in new[] { "/ops", "/ops/billing", "/ops/jobs" })
        {
            var answer = await client.GetHtmlAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.Equal("/ops/password", answer.Headers.Location!.OriginalString);
        }

        var weak = await client.SubmitAsync("/ops/password", "main form", new Dictionary<string, string> { ["CurrentPassword"] = oneTime, ["NewPassword"] = "short" });
        Assert.Equal("true", weak.Page.QuerySelector("#new")!.GetAttribute("aria-invalid"));
        var done = await client.SubmitAsync("/ops/password", "main form", new Dictionary<string, string> { ["CurrentPassword"] = oneTime, ["NewPassword"] = "Unyou-Tantou-Hikari-77" });
        Assert.Contains("パスワードを変更しました", done.Page.QuerySelector(".notice.success")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetHtmlAsync("/ops/billing")).StatusCode);
    }

    [Fact]
    public async Task Billing_PlanAssignCloseInvoicePdfCsvCorrection_AllFromThePages()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);

        var created = await ops.SubmitAsync("/ops/billing/plans", "main form[method=post]", new Dictionary<string, string>
        {
            ["Form.Code"] = "standard", ["Form.Name"] = "標準プラン", ["Form.EffectiveFrom"] = "2026-01-01", ["Form.EffectiveUntil"] = "",
            ["Form.BaseFee"] = "３０，０００", ["Form.PerOfficeTerminal"] = "1500", ["Form.PerActiveUser"] = "800",
            ["Form.IncludedSessionHours"] = "100", ["Form.PerExtraHour"] = "200",
        });
        Assert.Contains("料金プランを保存しました", created.Page.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("30,000円", created.Page.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
        var edit = created.Page.QuerySelector("table a[href^='/ops/billing/plans/']")!.GetAttribute("href")!;
        var badEdit = await ops.SubmitAsync(edit, "main form[method=post]", new Dictionary<string, string> { ["Form.BaseFee"] = "三万円" });
        Assert.Equal("true", badEdit.Page.QuerySelector("#basefee")!.GetAttribute("aria-invalid"));
        var renamed = await ops.SubmitAsync(edit, "main form[method=post]", new Dictionary<string, string> { ["Form.Name"] = "標準プラン（2026年版）" });
        // Full-width characters in a name stay as typed (only codes, dates and amounts are narrowed).
        Assert.Contains("標準プラン（2026年版）", renamed.Page.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
        var assigned = await ops.SubmitAsync($"/ops/tenants/{tenant.Code}", "form[action*='handler=Assign']",
            new Dictionary<string, string> { ["PlanCode"] = "standard", ["EffectiveFrom"] = "2026-04-01" });
        Assert.Contains("standard", assigned.Page.QuerySelector("#plans-title + table")!.TextContent, StringComparison.Ordinal);

        var notEnded = await ops.SubmitAsync("/ops/billing", "form[action*='handler=Close']", new Dictionary<string, string> { ["CloseMonth"] = "2026-11" });
        Assert.Equal("true", notEnded.Page.QuerySelector("#closemonth")!.GetAttribute("aria-invalid"));
        var closed = await ops.SubmitAsync("/ops/billing", "form[action*='handler=Close']", new Dictionary<string, string> { ["CloseMonth"] = "２０２６-１０" });

        Assert.Contains("2026年10月（2026年度） を締めました", closed.Page.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        var row = closed.Page.QuerySelectorAll("table")[1].QuerySelector("tbody tr")!;
        Assert.Contains(tenant.Name, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("33,000円", row.TextContent, StringComparison.Ordinal);
        var invoicePath = row.QuerySelector("a")!.GetAttribute("href")!;

        var pdf = await ops.GetAsync(invoicePath + "?handler=Pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.Equal("%PDF", Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..4]));
        var csv = await ops.GetAsync("/ops/billing?handler=Csv&month=2026-10");
        Assert.Equal([0xEF, 0xBB, 0xBF], (await csv.Content.ReadAsByteArrayAsync())[..3]);
        var sjis = await ops.GetAsync("/ops/billing?handler=Csv&month=2026-10&encoding=shift_jis");
        Assert.Equal("shift_jis", sjis.Content.Headers.ContentType!.CharSet);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync("/ops/billing?handler=Json&month=2026-09")).StatusCode);
        Assert.Equal("application/json", (await ops.GetAsync("/ops/billing?handler=Json&month=2026-10")).Content.Headers.ContentType!.MediaType);

        var invoice = await ops.PageAsync(invoicePath);
        Assert.Contains("33,000円", invoice.QuerySelector("dl.facts")!.TextContent, StringComparison.Ordinal);
        var corrected = await ops.SubmitAsync(invoicePath, "form[action*='handler=Correct']", new Dictionary<string, string> { ["Note"] = "利用者数の訂正" });
        Assert.Contains("訂正", corrected.Page.QuerySelector("dl.facts")!.TextContent, StringComparison.Ordinal);
        Assert.NotEqual(invoicePath, corrected.Path);
        var original = await ops.PageAsync(invoicePath);
        Assert.Contains("取消済み", original.QuerySelector("dl.facts")!.TextContent, StringComparison.Ordinal);
        Assert.Null(original.QuerySelector("form[action*='handler=Correct']"));
    }

    [Fact]
    public async Task Applications_ReceivedApproveProvisionReject_ApplicantMailedInJapanese_AdminNamedAfterApplicant()
    {
        var ops = await _app.OperatorClientAsync();
        var anon = _app.ClientFor();
        var lg = AppFactory.FreshMunicipality();
        var email = "joho@" + lg.Code + ".lg.example";
        var submitted = await anon.PostAsJsonAsync("/api/v1/signups", new
        {
            code = lg.Code, department = "情報政策課", contactName = "佐藤 花子", email, phone = "03-1234-5678", preferredStartDate = "2027-04-01",
        });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var received = _app.LatestMailTo(email, "受け付けました")!.Value;
        Assert.Contains(lg.Name, received.Subject, StringComparison.Ordinal);
        Assert.Contains("佐藤 花子 様", received.Body, StringComparison.Ordinal);
        Assert.Contains("株式会社テストASP 自治体テレワーク窓口", received.Body, StringComparison.Ordinal);
        Assert.Contains("support@asp-provider.example", received.Body, StringComparison.Ordinal);

        var list = await ops.PageAsync("/ops/applications");
        Assert.Contains(lg.Name, list.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        var approved = await ops.SubmitAsync("/ops/applications", $"form[action*='handler=Approve'][action*='{Id(list, lg.Name)}']", new Dictionary<string, string>());

        Assert.Equal("/ops/tenants/" + lg.Code + "?approved=1", approved.Path);
        Assert.Contains("承認しました", _app.LatestMailTo(email, "承認")!.Value.Subject, StringComparison.Ordinal);
        await _app.RunTenantWorkAsync();
        var tenant = await ops.PageAsync("/ops/tenants/" + lg.Code);
        Assert.Equal("利用中", tenant.QuerySelector("#state")!.TextContent.Trim());
        var steps = tenant.QuerySelector("ol.steps")!.TextContent;
        Assert.Contains("団体専用の認証局の作成", steps, StringComparison.Ordinal);
        Assert.Contains("最初の管理者への招待メール", steps, StringComparison.Ordinal);
        Assert.DoesNotContain("create-tenant-ca", tenant.Source.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("invite-first-admin", tenant.Source.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("register-oidc-clients", tenant.Source.Text, StringComparison.Ordinal);
        var invitation = _app.LatestMailTo(email, "招待")!.Value;
        Assert.Contains("佐藤 花子 様", invitation.Body, StringComparison.Ordinal);
        Assert.Contains(lg.Name + " のテレワークサービス（提供：株式会社テストASP 自治体テレワーク窓口）", invitation.Body, StringComparison.Ordinal);
        Assert.Contains("support@asp-provider.example", invitation.Body, StringComparison.Ordinal);

        var other = AppFactory.FreshMunicipality();
        var otherEmail = "soumu@" + other.Code + ".lg.example";
        Assert.Equal(HttpStatusCode.Created, (await anon.PostAsJsonAsync("/api/v1/signups", new
        {
            code = other.Code, department = "総務課", contactName = "鈴木 一郎", email = otherEmail, phone = "03-1234-5678", preferredStartDate = "2027-04-01",
        })).StatusCode);
        var page = await ops.PageAsync("/ops/applications");
        var rejectForm = $"form[action*='handler=Reject'][action*='{Id(page, other.Name)}']";
        var noReason = await ops.SubmitAsync("/ops/applications", rejectForm, new Dictionary<string, string> { ["Reason"] = "" });
        Assert.NotNull(noReason.Page.QuerySelector(".error-summary"));
        Assert.Null(_app.LatestMailTo(otherEmail, "利用申込について"));
        await ops.SubmitAsync("/ops/applications", rejectForm, new Dictionary<string, string> { ["Reason"] = "団体コードと担当部署の確認が取れませんでした。" });
        var rejected = _app.LatestMailTo(otherEmail, "利用申込について")!.Value;
        Assert.Contains("理由：団体コードと担当部署の確認が取れませんでした。", rejected.Body, StringComparison.Ordinal);
        Assert.Contains("鈴木 一郎 様", rejected.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspend_AsksOnItsOwnPage_WithReason_ThenSuspends_DecommissionSays利用終了()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);
        var detail = await ops.PageAsync("/ops/tenants/" + tenant.Code);
        // Suspending is a link to a confirmation page, not a button that acts at once.
        Assert.Null(detail.QuerySelector("form[action*='suspend']"));
        Assert.NotNull(detail.QuerySelector($"a[href='/ops/tenants/{tenant.Code}/suspend']"));

        var confirm = await ops.PageAsync($"/ops/tenants/{tenant.Code}/suspend");
        Assert.Contains("接続中のテレワークはすぐに切断されます", confirm.QuerySelector(".notice.warning")!.TextContent, StringComparison.Ordinal);
        var noReason = await ops.SubmitAsync($"/ops/tenants/{tenant.Code}/suspend", "main form", new Dictionary<string, string> { ["Reason"] = " " });
        Assert.Equal("true", noReason.Page.QuerySelector("#reason")!.GetAttribute("aria-invalid"));
        Assert.Equal(TenantState.Active, (await ops.GetFromJsonAsync<TenantDto>($"/api/v1/ops/tenants/{tenant.Code}", AppFactory.Json))!.State);

        var done = await ops.SubmitAsync($"/ops/tenants/{tenant.Code}/suspend", "main form", new Dictionary<string, string> { ["Reason"] = "利用料金の未払い" });
        Assert.Equal("一時停止中", done.Page.QuerySelector("#state")!.TextContent.Trim());
        Assert.Equal(TenantState.Suspended, (await ops.GetFromJsonAsync<TenantDto>($"/api/v1/ops/tenants/{tenant.Code}", AppFactory.Json))!.State);

        var end = await ops.PageAsync($"/ops/tenants/{tenant.Code}/decommission");
        Assert.Contains("利用終了", end.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("廃止", end.Source.Text, StringComparison.Ordinal);
        var wrong = await ops.SubmitAsync($"/ops/tenants/{tenant.Code}/decommission", "main form", new Dictionary<string, string> { ["ConfirmCode"] = "000000" });
        Assert.Equal("true", wrong.Page.QuerySelector("#confirmcode")!.GetAttribute("aria-invalid"));
        Assert.Equal(TenantState.Suspended, (await ops.GetFromJsonAsync<TenantDto>($"/api/v1/ops/tenants/{tenant.Code}", AppFactory.Json))!.State);

        var resumed = await ops.SubmitAsync($"/ops/tenants/{tenant.Code}", "form[action*='handler=Resume']", new Dictionary<string, string>());
        Assert.Equal("利用中", resumed.Page.QuerySelector("#state")!.TextContent.Trim());
        Assert.Null(resumed.Page.QuerySelector("form[action*='handler=Resume']"));
    }

    /// <summary>The application id in the approve form of the section headed by the municipality's name.</summary>
    private static string Id(AngleSharp.Html.Dom.IHtmlDocument page, string name) =>
        page.QuerySelectorAll("section").Single(s => s.QuerySelector("h3")!.TextContent.StartsWith(name, StringComparison.Ordinal)).Id!["app-".Length..];
}
