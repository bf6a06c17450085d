using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Hosting;

/// <summary>
/// A tenant's root (<c>/t/{code}/</c> and the tenant host's <c>/</c>) once the static portal is gone: a redirect to the
/// start page or to sign-in, in both forms; the consoles' assets are served inside a tenant under both forms; the old
/// portal files answer 404 inside and outside a tenant; the operator console and the signup page never inside one;
/// the navigation leads administrators to the terminal and policy pages, and no longer to the classic console.
/// </summary>
public sealed partial class TenantRootTests : IClassFixture<TenantRootTests.Host>
{
    private static readonly string[] PortalFiles = ["index.html", "portal.js", "terminals.js", "policy.js", "portal.css"];

    private readonly Host _host;

    public TenantRootTests(Host host) => _host = host;

    /// <summary>One tenant with a signed-in admin and a staff member for the class: onboarding is the slow part.</summary>
    public sealed class Host : IAsyncLifetime, IDisposable
    {
        public AppFactory App { get; } = new();

        public TenantSession Admin { get; private set; } = null!;

        public TenantSession Staff { get; private set; } = null!;

        public string Code => Admin.Tenant.Code;

        public async Task InitializeAsync()
        {
            Admin = await App.TenantAdminAsync();
            (Staff, _) = await App.InviteAndSignInAsync(Admin);
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
    public async Task Get_TenantRootSignedOut_RedirectsToSignIn(Form form)
    {
        var (client, root) = ClientAndRoot(form);

        var response = await client.GetAsync(root);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(root + "sign-in", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(root + "sign-in")).StatusCode);
    }

    [Fact]
    public async Task Get_TenantRootSignedIn_RedirectsToTheStartPage()
    {
        foreach (var who in new[] { _host.Admin, _host.Staff })
        {
            var response = await who.Client.GetAsync(who.Url("/"));

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(who.Url("/my"), response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task Get_TenantPathWithoutSlash_RedirectsToTheRoot()
    {
        var client = _host.App.ClientFor();

        var response = await client.GetAsync($"/t/{_host.Code}?x=1");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith($"/t/{_host.Code}/?x=1", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Form.Path)]
    [InlineData(Form.Host)]
    public async Task Get_TenantPage_EveryAssetIsLocalAndServed(Form form)
    {
        var (client, root) = ClientAndRoot(form);
        var html = await client.GetStringAsync(root + "sign-in");

        var assets = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.Contains(assets, a => a.Contains("/assets/console/console.css", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.Contains("/assets/console/console.js", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            // Under the tenant's own prefix (nothing external), so the same page works under /t/{code}/ and on the tenant host.
            Assert.StartsWith(root + "assets/", asset, StringComparison.Ordinal);
            var response = await client.GetAsync(asset);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData(Form.Path)]
    [InlineData(Form.Host)]
    public async Task Get_OldPortalFilesInsideTenant_404(Form form)
    {
        var (client, root) = ClientAndRoot(form);

        foreach (var file in PortalFiles.Append("portal/index.html"))
        {
            var response = await client.GetAsync(root + file);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{file}: {(int)response.StatusCode}");
            Assert.DoesNotContain("職員ポータル", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/portal/")]
    [InlineData("/portal/index.html")]
    [InlineData("/portal/portal.js")]
    [InlineData("/portal/terminals.js")]
    [InlineData("/portal/policy.js")]
    [InlineData("/portal.js")]
    [InlineData("/terminals.js")]
    [InlineData("/policy.js")]
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
    public async Task Get_RootOfUnknownTenant_404()
    {
        var response = await _host.App.ClientFor().GetAsync("/t/999999/");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Navigation_AdminsReachTerminalsAndPolicy_NobodyTheClassicConsole()
    {
        var admin = _host.Admin;
        var adminHome = new HtmlParser().ParseDocument(await admin.Client.GetStringAsync(admin.Url("/my")));
        var adminLinks = adminHome.QuerySelectorAll("header nav a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains(admin.Url("/admin/terminals"), adminLinks);
        Assert.Contains(admin.Url("/admin/policy"), adminLinks);
        Assert.DoesNotContain(admin.Url("/"), adminLinks);

        var staff = _host.Staff;
        var staffHome = new HtmlParser().ParseDocument(await staff.Client.GetStringAsync(staff.Url("/my")));
        var staffLinks = staffHome.QuerySelectorAll("header nav a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains(staff.Url("/my/terminals"), staffLinks);
        Assert.DoesNotContain(staff.Url("/admin/terminals"), staffLinks);
        Assert.DoesNotContain(staff.Url("/"), staffLinks);
    }

    [Fact]
    public async Task TerminalsPage_CaRootLink_DownloadsThePem()
    {
        var admin = _host.Admin;
        var page = new HtmlParser().ParseDocument(await admin.Client.GetStringAsync(admin.Url("/admin/terminals")));

        var href = page.QuerySelector($"main a[href='{admin.Url("/api/v1/pki/root")}']")?.GetAttribute("href");

        Assert.NotNull(href);
        var response = await admin.Client.GetAsync(href);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("BEGIN CERTIFICATE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private (HttpClient Client, string Root) ClientAndRoot(Form form) => form == Form.Path
        ? (_host.App.ClientFor(), $"/t/{_host.Code}/")
        : (_host.App.ClientFor($"{_host.Code}.{AppFactory.BaseDomain}"), "/");

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"#?]+\\.(?:js|css|svg))(?:\\?[^\"]*)?\"")]
    private static partial Regex AssetReference();
}
