using System.Net;
using System.Text.RegularExpressions;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Hosting;

/// <summary>
/// The tenant portal (wwwroot/portal): served as the site root inside a tenant, under /t/{code}/ and on the
/// tenant's host, and nowhere else; the operator console and the signup page never inside a tenant.
/// </summary>
public sealed partial class PortalPagesTests : IClassFixture<PortalPagesTests.Host>
{
    private readonly Host _host;

    public PortalPagesTests(Host host) => _host = host;

    /// <summary>One host and one onboarded tenant for the class: onboarding is the slow part.</summary>
    public sealed class Host : IAsyncLifetime, IDisposable
    {
        public AppFactory App { get; } = new();

        public string Code { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var ops = await App.OperatorClientAsync();
            Code = (await App.OnboardTenantAsync(ops)).Code;
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => App.Dispose();
    }

    public enum Form
    {
        Path,
        Host,
    }

    [Theory]
    [InlineData(Form.Path)]
    [InlineData(Form.Host)]
    public async Task Get_PortalRoot_ServesJapanesePortalPage(Form form)
    {
        var (client, root) = ClientAndRoot(form);

        var response = await client.GetAsync(root);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"ja\"", html, StringComparison.Ordinal);
        Assert.Contains("職員ポータル", TitleElement().Match(html).Groups[1].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("運用コンソール", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Form.Path)]
    [InlineData(Form.Host)]
    public async Task Get_PortalPage_EveryAssetIsRelativeLocalAndServed(Form form)
    {
        var (client, root) = ClientAndRoot(form);
        var html = await client.GetStringAsync(root);

        var assets = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.NotEmpty(assets);
        // Modules the page script imports must resolve the same way.
        var script = await client.GetStringAsync(root + "portal.js");
        assets.AddRange(ModuleImport().Matches(script).Select(m => m.Groups["url"].Value.TrimStart('.', '/')));
        Assert.Contains("assets/app.js", assets);
        foreach (var asset in assets)
        {
            // Relative, so the same files work under /t/{code}/ and on the tenant host; nothing external.
            Assert.DoesNotMatch("^(/|[a-z]+:)", asset);
            var response = await client.GetAsync(root + asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Get_TenantPathWithoutSlash_RedirectsToTheSlashSoRelativeLinksWork()
    {
        var client = _host.App.ClientFor();

        var response = await client.GetAsync($"/t/{_host.Code}?x=1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith($"/t/{_host.Code}/?x=1", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/portal/")]
    [InlineData("/portal/index.html")]
    [InlineData("/portal/portal.js")]
    [InlineData("/portal/invitation/")]
    [InlineData("/portal.js")]
    [InlineData("/invitation/")]
    [InlineData("/forward.js")]
    public async Task Get_PortalOutsideTenant_404(string path)
    {
        var response = await _host.App.ClientFor().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("職員ポータル", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Form.Path, "ops/")]
    [InlineData(Form.Path, "ops/ops.js")]
    [InlineData(Form.Path, "signup/")]
    [InlineData(Form.Path, "signup/signup.js")]
    [InlineData(Form.Path, "portal/index.html")]
    [InlineData(Form.Host, "ops/")]
    [InlineData(Form.Host, "ops/index.html")]
    [InlineData(Form.Host, "signup/")]
    public async Task Get_OtherPagesInsideTenant_404(Form form, string path)
    {
        var (client, root) = ClientAndRoot(form);

        var response = await client.GetAsync(root + path);

        var body = await response.Content.ReadAsStringAsync();
        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.DoesNotContain("運用コンソール", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_PortalOfUnknownTenant_404()
    {
        var response = await _host.App.ClientFor().GetAsync("/t/999999/");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    private (HttpClient Client, string Root) ClientAndRoot(Form form) => form == Form.Path
        ? (_host.App.ClientFor(), $"/t/{_host.Code}/")
        : (_host.App.ClientFor($"{_host.Code}.{AppFactory.BaseDomain}"), "/");

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex TitleElement();

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"#]+\\.(?:js|css|svg))\"")]
    private static partial Regex AssetReference();

    [GeneratedRegex("from '(?<url>[^']+\\.js)'")]
    private static partial Regex ModuleImport();
}
