using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Data;
using AspService.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AspService.Tests.Identity;

/// <summary>The command-line agent's device flow over the real host, with a plain HTTP test client.</summary>
public sealed class DeviceFlowTests : IClassFixture<DeviceFlowTests.Host>
{
    private const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";
    private readonly AppFactory _app;

    public DeviceFlowTests(Host host) => _app = host.App;

    public sealed class Host : IDisposable
    {
        public AppFactory App { get; } = new();

        public void Dispose() => App.Dispose();
    }

    [Fact]
    public async Task DeviceFlow_ApprovedInBrowser_TokensWorkUntilUserIsDisabled()
    {
        var admin = await _app.TenantAdminAsync();
        var (staff, staffId) = await _app.InviteAndSignInAsync(admin);
        var agent = Agent();

        var device = await RequestDeviceCodeAsync(agent, admin.Tenant.Code);
        Assert.Equal(Https(admin.Tenant.Code, "/connect/verify"), device.GetProperty("verification_uri").GetString());
        var deviceCode = device.GetProperty("device_code").GetString()!;
        var userCode = device.GetProperty("user_code").GetString()!;

        var pending = await PollAsync(agent, admin.Tenant.Code, deviceCode);
        Assert.Equal(HttpStatusCode.BadRequest, pending.StatusCode);
        Assert.Equal("authorization_pending", (await pending.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        // Without the browser session (password + TOTP) nothing can be approved: the page sends the browser to sign in.
        var anonymous = await Agent().GetAsync(Https(admin.Tenant.Code, "/connect/verify?user_code=" + Uri.EscapeDataString(userCode)));
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/sign-in?returnUrl=", anonymous.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var wrong = await staff.Client.GetAsync(Https(admin.Tenant.Code, "/connect/verify?user_code=1111-2222-3333"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        var show = await staff.Client.GetAsync(Https(admin.Tenant.Code, "/connect/verify?user_code=" + Uri.EscapeDataString(userCode)));
        Assert.Equal(HttpStatusCode.OK, show.StatusCode);
        var page = await show.Content.ReadAsStringAsync();
        Assert.Contains("aspagent", page, StringComparison.Ordinal);
        Assert.Contains(staff.Email, page, StringComparison.Ordinal);

        await Consoles.DeviceApproval.ApproveAsync(staff.Client, Https(admin.Tenant.Code, "/connect/verify"), userCode);

        var issued = await PollAsync(agent, admin.Tenant.Code, deviceCode);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var tokens = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var access = tokens.GetProperty("access_token").GetString()!;
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        Assert.InRange(tokens.GetProperty("expires_in").GetInt32(), 1, 600);

        var who = await WhoAmIAsync(agent, admin.Tenant.Code, access);
        Assert.Equal(HttpStatusCode.OK, who.StatusCode);
        var me = await who.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(staffId.ToString(), me.GetProperty("id").GetString());
        Assert.Equal("Staff", me.GetProperty("role").GetString());

        // A Staff token opens no admin endpoint.
        using (var asAdmin = new HttpRequestMessage(HttpMethod.Get, Https(admin.Tenant.Code, "/api/v1/users")))
        {
            asAdmin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
            Assert.Contains((await agent.SendAsync(asAdmin)).StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        }

        var refreshed = await RefreshAsync(agent, admin.Tenant.Code, refresh);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var renewed = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        access = renewed.GetProperty("access_token").GetString()!;
        refresh = renewed.GetProperty("refresh_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(agent, admin.Tenant.Code, access)).StatusCode);

        // Disabling the user kills every token at once and is audited.
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync(admin.Url($"/api/v1/users/{staffId}/disable"), null)).StatusCode);
        var afterDisable = await RefreshAsync(agent, admin.Tenant.Code, refresh);
        Assert.Equal(HttpStatusCode.BadRequest, afterDisable.StatusCode);
        Assert.Equal("invalid_grant", (await afterDisable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await WhoAmIAsync(agent, admin.Tenant.Code, access)).StatusCode);
        var audit = await _app.AuditActionsAsync(admin.Tenant);
        Assert.Contains("tokens.device_approved", audit);
        Assert.Equal("tokens.revoked", audit[audit.LastIndexOf("user.disabled") + 1]);

        // The device code was single use.
        Assert.Equal(HttpStatusCode.BadRequest, (await PollAsync(agent, admin.Tenant.Code, deviceCode)).StatusCode);
    }

    [Fact]
    public async Task Tokens_FromTenantA_AreRefusedAtTenantB()
    {
        var a = await _app.TenantAdminAsync();
        var b = await _app.TenantAdminAsync();
        var agent = Agent();
        var (access, refresh, _) = await SignInAgentAsync(_app, a, agent);
        Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(agent, a.Tenant.Code, access)).StatusCode);

        // Access token: another issuer, and no entry in B's database.
        Assert.Equal(HttpStatusCode.Unauthorized, (await WhoAmIAsync(agent, b.Tenant.Code, access)).StatusCode);
        // Refresh token: refused by B's token endpoint, and still good at A afterwards.
        var atB = await RefreshAsync(agent, b.Tenant.Code, refresh);
        Assert.Equal(HttpStatusCode.BadRequest, atB.StatusCode);
        Assert.Equal("invalid_grant", (await atB.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(agent, a.Tenant.Code, refresh)).StatusCode);

        // A device code from A cannot be approved by B's user (B has no such code).
        var device = await RequestDeviceCodeAsync(agent, a.Tenant.Code);
        var userCode = device.GetProperty("user_code").GetString()!;
        var show = await b.Client.GetAsync(Https(b.Tenant.Code, "/connect/verify?user_code=" + Uri.EscapeDataString(userCode)));
        Assert.Equal(HttpStatusCode.BadRequest, show.StatusCode);
    }

    [Fact]
    public async Task Endpoints_AnswerOnlyInsideATenant_WithTheTenantAsIssuer()
    {
        var admin = await _app.TenantAdminAsync();
        var agent = Agent();

        var discovery = await agent.GetFromJsonAsync<JsonElement>(Https(admin.Tenant.Code, "/.well-known/openid-configuration"));
        Assert.Equal(Https(admin.Tenant.Code, ""), discovery.GetProperty("issuer").GetString());
        Assert.Equal(Https(admin.Tenant.Code, "/connect/token"), discovery.GetProperty("token_endpoint").GetString());
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync(Https(admin.Tenant.Code, "/.well-known/jwks"))).StatusCode);
        var byHost = await agent.GetFromJsonAsync<JsonElement>($"https://{admin.Tenant.Code}.{AppFactory.BaseDomain}/.well-known/openid-configuration");
        Assert.Equal($"https://{admin.Tenant.Code}.{AppFactory.BaseDomain}/", byHost.GetProperty("issuer").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync("/.well-known/openid-configuration")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync("/.well-known/jwks")).StatusCode);
        var token = await agent.PostAsync("/connect/token", Form(("grant_type", "refresh_token"), ("refresh_token", "x"), ("client_id", "aspagent")));
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        var device = await agent.PostAsync("/connect/device", Form(("client_id", "aspagent")));
        Assert.Equal(HttpStatusCode.NotFound, device.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync("/api/v1/agent/whoami")).StatusCode);

        // Unknown clients are refused by the tenant's own client registry.
        var unknown = await agent.PostAsync(Https(admin.Tenant.Code, "/connect/device"), Form(("client_id", "someone-else")));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("invalid_client", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task AdminActions_DeleteAndMfaReset_RevokeTheUsersTokens()
    {
        var admin = await _app.TenantAdminAsync();
        var agent = Agent();
        var deleted = await SignInAgentAsync(_app, admin, agent);
        var reset = await SignInAgentAsync(_app, admin, agent);

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.DeleteAsync(admin.Url($"/api/v1/users/{deleted.UserId}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync(admin.Url($"/api/v1/users/{reset.UserId}/mfa/reset"), null)).StatusCode);

        foreach (var (access, refresh, _) in new[] { deleted, reset })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await WhoAmIAsync(agent, admin.Tenant.Code, access)).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await RefreshAsync(agent, admin.Tenant.Code, refresh)).StatusCode);
        }

        Assert.Equal(2, (await _app.AuditActionsAsync(admin.Tenant)).Count(a => a == "tokens.revoked"));
    }

    [Fact]
    public async Task Tokens_SurviveARestart_AndAccessTokensExpireAfterTenMinutes()
    {
        var root = Path.Combine(Path.GetTempPath(), "aspsvc-oidc-" + Guid.NewGuid().ToString("N")[..8], "data");
        try
        {
            string code, access, refresh;
            DateTimeOffset now;
            using (var first = new AppFactory(dataRoot: root))
            {
                var admin = await first.TenantAdminAsync();
                (access, refresh, _) = await SignInAgentAsync(first, admin, Agent(first));
                code = admin.Tenant.Code;
                now = first.Clock.GetUtcNow();
            }

            using var second = new AppFactory(dataRoot: root);
            second.Clock.SetUtcNow(now);
            var agent = Agent(second);
            Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(agent, code, access)).StatusCode);

            second.Clock.Advance(TimeSpan.FromMinutes(11));
            Assert.Equal(HttpStatusCode.Unauthorized, (await WhoAmIAsync(agent, code, access)).StatusCode);
            var refreshed = await RefreshAsync(agent, code, refresh);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            var renewed = (await refreshed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await WhoAmIAsync(agent, code, renewed)).StatusCode);
        }
        finally
        {
            try
            {
                Directory.Delete(Path.GetDirectoryName(root)!, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold a file briefly; the temp folder is cleaned up by the OS.
            }
        }
    }

    private HttpClient Agent() => Agent(_app);

    internal static HttpClient Agent(AppFactory app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

    internal static string Https(string code, string path) => $"https://localhost/t/{code}{path}";

    internal static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    internal static async Task<JsonElement> RequestDeviceCodeAsync(HttpClient agent, string code)
    {
        var response = await agent.PostAsync(Https(code, "/connect/device"),
            Form(("client_id", "aspagent"), ("scope", "openid offline_access profile roles")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    internal static Task<HttpResponseMessage> PollAsync(HttpClient agent, string code, string deviceCode) =>
        agent.PostAsync(Https(code, "/connect/token"), Form(("grant_type", DeviceGrant), ("device_code", deviceCode), ("client_id", "aspagent")));

    internal static Task<HttpResponseMessage> RefreshAsync(HttpClient agent, string code, string refresh) =>
        agent.PostAsync(Https(code, "/connect/token"), Form(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", "aspagent")));

    internal static async Task<HttpResponseMessage> WhoAmIAsync(HttpClient agent, string code, string access)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Https(code, "/api/v1/agent/whoami"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        return await agent.SendAsync(request);
    }

    /// <summary>Device flow for a fresh staff member of the admin's tenant; returns access and refresh token.</summary>
    internal static async Task<(string Access, string Refresh, Guid UserId)> SignInAgentAsync(AppFactory app, TenantSession admin, HttpClient agent)
    {
        var (staff, staffId) = await app.InviteAndSignInAsync(admin);
        var device = await RequestDeviceCodeAsync(agent, admin.Tenant.Code);
        await Consoles.DeviceApproval.ApproveAsync(staff.Client, Https(admin.Tenant.Code, "/connect/verify"), device.GetProperty("user_code").GetString()!);
        var issued = await PollAsync(agent, admin.Tenant.Code, device.GetProperty("device_code").GetString()!);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var tokens = await issued.Content.ReadFromJsonAsync<JsonElement>();
        return (tokens.GetProperty("access_token").GetString()!, tokens.GetProperty("refresh_token").GetString()!, staffId);
    }
}

/// <summary>The device flow on PostgreSQL: the OpenIddict migration and token storage on that provider.</summary>
[Collection(PostgresGroup.Name)]
public sealed class DeviceFlowPostgresTests(PostgresCluster cluster)
{
    [Fact]
    public async Task DeviceFlow_OnPostgres_IssuesRefreshesRevokesAndStaysInItsTenant()
    {
        var catalog = await cluster.CreateDatabaseAsync("oidccat_" + Guid.NewGuid().ToString("N")[..8]);
        using var app = new AppFactory(DatabaseProvider.PostgreSql, cluster.ServerConnectionString, catalog);
        var ops = await app.OperatorClientAsync();
        var a = await app.TenantAdminAsync(ops);
        var b = await app.TenantAdminAsync(ops);
        var agent = DeviceFlowTests.Agent(app);

        var (access, refresh, userId) = await DeviceFlowTests.SignInAgentAsync(app, a, agent);
        Assert.Equal(HttpStatusCode.OK, (await DeviceFlowTests.WhoAmIAsync(agent, a.Tenant.Code, access)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeviceFlowTests.WhoAmIAsync(agent, b.Tenant.Code, access)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DeviceFlowTests.RefreshAsync(agent, b.Tenant.Code, refresh)).StatusCode);
        var refreshed = await DeviceFlowTests.RefreshAsync(agent, a.Tenant.Code, refresh);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        refresh = (await refreshed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refresh_token").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await a.Client.PostAsync(a.Url($"/api/v1/users/{userId}/disable"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DeviceFlowTests.RefreshAsync(agent, a.Tenant.Code, refresh)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DeviceFlowTests.WhoAmIAsync(agent, a.Tenant.Code, access)).StatusCode);
    }
}
