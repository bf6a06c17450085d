using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Form = AspService.Tests.Hosting.PortalPagesTests.Form;

namespace AspService.Tests.Hosting;

/// <summary>
/// The portal's terminal and policy views (wwwroot/portal: terminals.js, policy.js): served inside a tenant only, and
/// every API call their scripts make reaches an endpoint that exists, so a renamed route cannot leave a dead page.
/// </summary>
public sealed partial class PortalTerminalPagesTests : IClassFixture<PortalTerminalPagesTests.Host>
{
    private static readonly string[] Scripts = ["terminals.js", "policy.js"];

    private readonly Host _host;

    public PortalTerminalPagesTests(Host host) => _host = host;

    /// <summary>One tenant with a signed-in admin and a staff member for the class: onboarding is the slow part.</summary>
    public sealed class Host : IAsyncLifetime, IDisposable
    {
        public AppFactory App { get; } = new();

        public TenantSession Admin { get; private set; } = null!;

        public Guid StaffId { get; private set; }

        public async Task InitializeAsync()
        {
            Admin = await App.TenantAdminAsync();
            (_, StaffId) = await App.InviteAndSignInAsync(Admin);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose() => App.Dispose();
    }

    [Theory]
    [InlineData(Form.Path)]
    [InlineData(Form.Host)]
    public async Task Get_PortalPage_HasTheTerminalAndPolicyViewsAndTheirMenu(Form form)
    {
        var (client, root) = ClientAndRoot(form);

        var html = await client.GetStringAsync(root);

        foreach (var id in new[] { "view-terminals", "view-terminal", "view-my-terminals", "view-policy", "token-dialog", "terminal-dialog" })
        {
            Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal);
        }

        foreach (var link in new[] { "#/admin/terminals", "#/admin/policy", "#/terminals" })
        {
            Assert.Contains($"href=\"{link}\"", html, StringComparison.Ordinal);
        }

        // Admin menu entries stay hidden until the signed-in user turns out to be an admin.
        Assert.Matches("<li data-admin hidden><a href=\"#/admin/terminals\"", html);
        Assert.Matches("<li data-admin hidden><a href=\"#/admin/policy\"", html);
        // The CA root is a relative link, so it works under /t/{code}/ and on the tenant host.
        Assert.Contains("href=\"api/v1/pki/root\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Form.Path)]
    [InlineData(Form.Host)]
    public async Task Get_ViewScripts_AreServedAsModulesImportedByThePortal(Form form)
    {
        var (client, root) = ClientAndRoot(form);
        var portal = await client.GetStringAsync(root + "portal.js");

        foreach (var script in Scripts)
        {
            Assert.Contains($"from './{script}'", portal, StringComparison.Ordinal);
            var response = await client.GetAsync(root + script);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync();
            // Same rules as the page itself: local relative imports, nothing from another site.
            Assert.Contains("from './assets/app.js'", body, StringComparison.Ordinal);
            Assert.DoesNotMatch("(?:from|import)\\s*\\(?\\s*['\"](?:https?:)?//", body);
        }
    }

    [Theory]
    [InlineData("/terminals.js")]
    [InlineData("/policy.js")]
    [InlineData("/portal/terminals.js")]
    [InlineData("/portal/policy.js")]
    public async Task Get_ViewScriptOutsideTenant_404(string path)
    {
        var response = await _host.App.ClientFor().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task EveryApiCallOfTheViewScripts_ReachesAnEndpoint()
    {
        var admin = _host.Admin;
        var created = await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/terminals"), new { kind = "office", name = "検査用 PC" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var terminalId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var token = await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/enrollment-tokens"), new { kind = "office" });
        var tokenId = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var calls = new List<(string Method, string Path)>();
        foreach (var script in Scripts)
        {
            var body = await admin.Client.GetStringAsync(admin.Url("/" + script));
            var found = ApiCall().Matches(body).Select(m => (m.Groups["method"].Value, m.Groups["path"].Value)).ToList();
            // Every API path in a string is a call the pattern understood, so none escapes this test.
            Assert.Equal(ApiMention().Count(body), found.Count);
            calls.AddRange(found);
        }

        Assert.Contains(("PUT", "api/v1/policy"), calls);
        Assert.Contains(calls, c => c.Path.StartsWith("api/v1/me/enrollment-tokens", StringComparison.Ordinal));
        // Deleting the terminal comes last: the other calls need it.
        var ordered = calls.Distinct().OrderBy(c => c.Method == "DELETE" ? (c.Path.Contains("assignments", StringComparison.Ordinal) ? 1 : 2) : 0).ToList();
        foreach (var (method, template) in ordered)
        {
            var path = Concrete(template, terminalId, _host.StaffId, tokenId);
            using var request = new HttpRequestMessage(new HttpMethod(method), admin.Url("/" + path));
            if (method is "POST" or "PUT")
            {
                request.Content = JsonContent.Create(new { });
            }

            var response = await admin.Client.SendAsync(request);

            var status = (int)response.StatusCode;
            Assert.True(status is not (404 or 405) and < 500, $"{method} {template} → {path}: {status}");
        }
    }

    [Fact]
    public async Task PolicyForm_DefaultsNameExactlyTheFieldsOfThePolicyDocument()
    {
        var admin = _host.Admin;
        var script = await admin.Client.GetStringAsync(admin.Url("/policy.js"));
        var block = DefaultsBlock().Match(script);
        Assert.True(block.Success, "policy.js has no DEFAULTS object");
        var formFields = TopLevelKey().Matches(block.Groups["body"].Value).Select(m => m.Groups["key"].Value).Order(StringComparer.Ordinal).ToList();

        var view = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/policy"));
        var documentFields = view.GetProperty("policy").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

        // The form sends the whole document (a missing field would silently fall back to its default).
        Assert.Equal(documentFields, formFields);
    }

    /// <summary>A template path as the script builds it, with real ids in place of its <c>${…}</c> parts and no query.</summary>
    private static string Concrete(string template, Guid terminalId, Guid userId, Guid tokenId)
    {
        var path = Placeholder().Replace(template, m => m.Groups["before"].Value switch
        {
            "terminals/" => "terminals/" + terminalId,
            "assignments/" => "assignments/" + userId,
            "enrollment-tokens/" => "enrollment-tokens/" + tokenId,
            var before => before,
        });
        // A conditional part (`${all ? '' : '?open=true'}`) ends the captured literal early: drop its start too.
        return UnclosedPlaceholder().Replace(path, "").Split('?')[0];
    }

    private (HttpClient Client, string Root) ClientAndRoot(Form form) => form == Form.Path
        ? (_host.App.ClientFor(), $"/t/{_host.Admin.Tenant.Code}/")
        : (_host.App.ClientFor($"{_host.Admin.Tenant.Code}.{AppFactory.BaseDomain}"), "/");

    [GeneratedRegex("api\\('(?<method>GET|POST|PUT|DELETE)',\\s*[`'](?<path>api/v1/[^`']*)[`']")]
    private static partial Regex ApiCall();

    [GeneratedRegex("[`'\"]api/v1/")]
    private static partial Regex ApiMention();

    [GeneratedRegex("(?<before>[a-z-]+/)?\\$\\{[^}]*\\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("\\$\\{[^}]*$")]
    private static partial Regex UnclosedPlaceholder();

    [GeneratedRegex("const DEFAULTS = \\{(?<body>[\\s\\S]*?)\\n\\};")]
    private static partial Regex DefaultsBlock();

    [GeneratedRegex("^  (?<key>[A-Za-z]+):", RegexOptions.Multiline)]
    private static partial Regex TopLevelKey();
}
