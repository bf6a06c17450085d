using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Consoles;

/// <summary>
/// The console foundation in-process: HTML error pages for people and problem+json for API clients, the strict
/// security headers on every HTML answer, one language per page (ja first, en on request or by cookie).
/// </summary>
public sealed class ConsoleFoundationTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task UnknownMunicipality_Browser_GetsAJapaneseHtmlPage_ApiClientGetsProblemJson()
    {
        using var browser = Browser();
        var page = await browser.GetAsync("/t/131017/");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var document = await HtmlAsync(page);
        Assert.Equal("ja", document.DocumentElement.GetAttribute("lang"));
        Assert.Equal("この団体コードでは利用できません", document.QuerySelector("h1")!.TextContent);
        AssertStrictHeaders(page);
        Assert.Matches(@"/assets/console/console\.css\?v=[\w-]{20,}", document.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href"));

        using var api = _app.CreateClient();
        api.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var problem = await api.GetAsync("/t/131017/");
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType!.MediaType);
        // An API path stays problem+json even for a browser.
        var apiPath = await browser.GetAsync("/t/131017/api/v1/me");
        Assert.Equal("application/problem+json", apiPath.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task SuspendedTenant_And404And401_AreHtmlPagesInTheChosenLanguage()
    {
        var admin = await _app.TenantAdminAsync();
        using var browser = Browser();
        var missing = await browser.GetAsync($"/t/{admin.Tenant.Code}/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("ページが見つかりません", (await HtmlAsync(missing)).QuerySelector("h1")!.TextContent);
        AssertStrictHeaders(missing);

        using var english = Browser();
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-GB,en;q=0.9");
        var englishPage = await HtmlAsync(await english.GetAsync($"/t/{admin.Tenant.Code}/no-such-page"));
        Assert.Equal("en", englishPage.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Page not found", englishPage.QuerySelector("h1")!.TextContent);

        var ops = await _app.OperatorClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await ops.PostAsJsonAsync($"/api/v1/ops/tenants/{admin.Tenant.Code}/suspend", new { reason = "未払い" })).StatusCode);
        var suspended = await browser.GetAsync($"/t/{admin.Tenant.Code}/my");
        Assert.Equal(HttpStatusCode.Forbidden, suspended.StatusCode);
        Assert.Equal("この団体の利用は停止されています", (await HtmlAsync(suspended)).QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task StaffPage_SignedOut_RedirectsToSignIn_WhichIsCleanJapaneseWithSecurityHeaders()
    {
        var admin = await _app.TenantAdminAsync();
        using var browser = Browser();
        var home = await browser.GetAsync($"/t/{admin.Tenant.Code}/my");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal($"/t/{admin.Tenant.Code}/sign-in?returnUrl=%2Fmy", home.Headers.Location!.OriginalString);

        var signIn = await browser.GetAsync(home.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        AssertStrictHeaders(signIn);
        var document = await HtmlAsync(signIn);
        Assert.Equal("サインイン", document.QuerySelector("h1")!.TextContent);
        Assert.NotNull(document.QuerySelector("a.skip-link[href='#main']"));
        Assert.NotNull(document.QuerySelector("label[for=email]"));
        Assert.Empty(document.QuerySelectorAll("script:not([src]), [style]"));
        Assert.All(document.QuerySelectorAll("script[src], link[rel=stylesheet]"),
            e => Assert.Contains("?v=", e.GetAttribute("src") ?? e.GetAttribute("href"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongPassword_ShowsTheErrorSummaryLinkedToTheField()
    {
        var admin = await _app.TenantAdminAsync();
        var (browser, _) = _app.NewClient();
        var signIn = await HtmlAsync(await browser.GetAsync($"/t/{admin.Tenant.Code}/sign-in"));
        var form = signIn.QuerySelector("form[method=post]") as IHtmlFormElement;
        var fields = form!.Elements.OfType<IHtmlInputElement>().Where(i => i.Name is not null)
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Name switch { "Email" => admin.Email, "Password" => "wrong-password-123", _ => i.Value }))
            .ToList();
        var answer = await browser.PostAsync($"/t/{admin.Tenant.Code}/sign-in?handler=Password", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var page = await HtmlAsync(answer);
        var summary = page.QuerySelector(".error-summary[role=alert]")!;
        Assert.Equal("#email", summary.QuerySelector("a")!.GetAttribute("href"));
        var email = page.QuerySelector("#email")!;
        Assert.Equal("true", email.GetAttribute("aria-invalid"));
        Assert.Equal("email-error", email.GetAttribute("aria-describedby"));
    }

    [Fact]
    public async Task LanguageSwitch_IsAnAntiforgeryPost_AndTheCookieKeepsEnglish()
    {
        var admin = await _app.TenantAdminAsync();
        var (browser, jar) = _app.NewClient();
        var signIn = await HtmlAsync(await browser.GetAsync($"/t/{admin.Tenant.Code}/sign-in"));
        var english = signIn.QuerySelector("button[name=culture][value=en]")!;
        Assert.Equal("en", english.GetAttribute("lang"));
        var form = (IHtmlFormElement)english.Closest("form")!;
        var fields = form.Elements.OfType<IHtmlInputElement>().Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
            .Append(new("culture", "en")).ToList();

        Assert.Equal(HttpStatusCode.BadRequest, (await _app.CreateClient().PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent([new("culture", "en")]))).StatusCode);
        var switched = await browser.PostAsync(form.GetAttribute("action"), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal($"/t/{admin.Tenant.Code}/sign-in", switched.Headers.Location!.OriginalString);
        Assert.Contains(".AspNetCore.Culture", jar.Values.Keys);

        var after = await HtmlAsync(await browser.GetAsync($"/t/{admin.Tenant.Code}/sign-in"));
        Assert.Equal("en", after.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Sign in", after.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task OperatorConsole_SignInPage_SameStrictPolicy()
    {
        using var browser = Browser();
        var ops = await browser.GetAsync("/ops/sign-in");
        Assert.Equal(HttpStatusCode.OK, ops.StatusCode);
        AssertStrictHeaders(ops);
    }

    private HttpClient Browser()
    {
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        return client;
    }

    internal static async Task<IHtmlDocument> HtmlAsync(HttpResponseMessage response)
    {
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    internal static void AssertStrictHeaders(HttpResponseMessage response)
    {
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
