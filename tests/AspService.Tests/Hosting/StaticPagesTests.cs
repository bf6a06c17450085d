using System.Net;
using System.Text.RegularExpressions;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Hosting;

/// <summary>The static pages (landing, signup, operator console) and where they must not be served.</summary>
public sealed partial class StaticPagesTests : IClassFixture<StaticPagesTests.Host>
{
    private readonly AppFactory _app;

    public StaticPagesTests(Host host) => _app = host.App;

    public sealed class Host : IDisposable
    {
        public AppFactory App { get; } = new();

        public void Dispose() => App.Dispose();
    }

    [Theory]
    [InlineData("/", "自治体テレワークサービス")]
    [InlineData("/signup/", "利用申込")]
    [InlineData("/ops/sign-in", "運用コンソール")]
    public async Task Get_Page_ServesHtmlWithJapaneseTitle(string path, string title)
    {
        var response = await _app.ClientFor().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(title, TitleOf(html), StringComparison.Ordinal);
        Assert.Contains("<html lang=\"ja\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/signup/")]
    [InlineData("/ops/sign-in")]
    public async Task Get_Page_EveryLocalScriptAndStylesheetIsServed(string path)
    {
        var client = _app.ClientFor();
        var html = await client.GetStringAsync(path);

        var assets = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(assets);
        foreach (var asset in assets)
        {
            // Everything is local: no CDN, no external fonts.
            Assert.StartsWith("/", asset, StringComparison.Ordinal);
            var response = await client.GetAsync(asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Get_OpsConsoleUnderTenantPath_404AndNoConsole()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);
        var client = _app.ClientFor();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/t/{tenant.Code}/api/v1/tenant")).StatusCode);

        foreach (var path in new[] { "/ops/", "/ops/index.html", "/ops/sign-in", "/ops/billing", "/ops" })
        {
            var response = await client.GetAsync($"/t/{tenant.Code}{path}");

            var body = await response.Content.ReadAsStringAsync();
            await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
            Assert.DoesNotContain("運用コンソール", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_OpsConsoleOnTenantHost_404()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);
        var client = _app.ClientFor($"{tenant.Code}.{AppFactory.BaseDomain}");

        var response = await client.GetAsync("/ops/");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    private static string TitleOf(string html)
    {
        var match = TitleElement().Match(html);
        Assert.True(match.Success, "no <title>");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex TitleElement();

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"#]+\\.(?:js|css|svg))\"")]
    private static partial Regex AssetReference();
}
