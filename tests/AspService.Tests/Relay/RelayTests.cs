using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using AspService.Data.Sessions;
using AspService.Server.Relay;
using AspService.Server.Tenancy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Relay;

/// <summary>The relay over real TLS on loopback: control connection, broker, pairing, piping, closing, isolation.</summary>
public sealed class RelayTests(KestrelHost host) : IClassFixture<KestrelHost>
{
    private AppFactory App => host.App;

    [Fact]
    public async Task Session_PipesBytesBothWaysUnchanged_AndIsRecordedWithItsByteCounts()
    {
        var s = await App.ScenarioAsync();
        using var control = await s.OfficeOnlineAsync();
        var offer = await s.OfferAsync();
        Assert.False(offer.GetProperty("redirection").GetProperty("clipboard").GetBoolean());
        var office = await s.EchoOfficeAsync(control);

        using var home = await App.ConnectAsync(s.Home.Certificate, "/api/v1/relay/data", offer.GetProperty("ticket").GetString());
        var payload = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        var echoed = new MemoryStream();
        await using (var stream = WebSocketStream.Create(home, WebSocketMessageType.Binary, TimeSpan.FromSeconds(2)))
        {
            var reader = Task.Run(async () =>
            {
                var buffer = new byte[64 * 1024];
                while (echoed.Length < payload.Length && await stream.ReadAsync(buffer) is var read and > 0)
                {
                    echoed.Write(buffer, 0, read);
                }
            });
            for (var offset = 0; offset < payload.Length; offset += 100_000)
            {
                await stream.WriteAsync(payload.AsMemory(offset, Math.Min(100_000, payload.Length - offset)));
            }

            await reader;
            await home.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(echoed.ToArray()));
        await office;
        var session = await Eventually.ValueAsync(() => s.SessionAsync(offer.GetProperty("sessionId").GetGuid()), x => x.State == SessionState.Ended);
        Assert.Equal(payload.Length, session.BytesHomeToOffice);
        Assert.Equal(payload.Length, session.BytesOfficeToHome);
        Assert.Equal(EndReasons.HomeClosed, session.EndReason);
        var actions = await App.AuditActionsAsync(s.Admin.Tenant);
        Assert.Contains("session.allowed", actions);
        Assert.Contains("session.started", actions);
        Assert.Contains("session.ended", actions);

        var mine = await s.Staff.Client.GetFromJsonAsync<JsonElement>(s.Staff.Url("/api/v1/me/sessions"));
        Assert.Equal("ended", mine.GetProperty("items")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Broker_DeniesWithEveryReason_WhenPolicyNetworksAndOfficeReportDisagree()
    {
        var s = await App.ScenarioAsync();
        var put = await s.Admin.Client.PutAsJsonAsync(s.Admin.Url("/api/v1/policy"), new { allowedSourceNetworks = new[] { "203.0.113.0/24" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var control = await s.OfficeOnlineAsync(new { clipboard = (bool?)null, drives = false, printers = false, ports = false });

        var denied = await HttpAssert.ProblemAsync(await s.RequestSessionAsync(), HttpStatusCode.Forbidden, "session-denied");

        var codes = denied.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToList();
        Assert.Contains("SourceNetworkNotAllowed", codes);
        Assert.Contains("RedirectionUnknown", codes);
        Assert.Contains("session.denied", await App.AuditActionsAsync(s.Admin.Tenant));
    }

    [Fact]
    public async Task Broker_RefusesOfflineOfficeBadTokenOtherUsersDeviceAndUnassignedTerminal()
    {
        var s = await App.ScenarioAsync();
        await HttpAssert.ProblemAsync(await s.RequestSessionAsync(), HttpStatusCode.Conflict, "office-offline");
        using var control = await s.OfficeOnlineAsync();
        await HttpAssert.ProblemAsync(await s.RequestSessionAsync(token: "nonsense"), HttpStatusCode.Unauthorized, "token-invalid");
        await HttpAssert.ProblemAsync(await s.RequestSessionAsync(office: Guid.NewGuid()), HttpStatusCode.NotFound, "terminal-not-found");
        // The office PC's own certificate cannot ask for sessions.
        await HttpAssert.ProblemAsync(await s.RequestSessionAsync(certificate: s.Office.Certificate), HttpStatusCode.Forbidden, "home-only");

        // Another staff member's token on this staff member's home device.
        var (other, _) = await App.InviteAndSignInAsync(s.Admin);
        var otherToken = await RelayKit.DeviceTokenAsync(App.CreateDefaultClient(App.WebAddress), other);
        await HttpAssert.ProblemAsync(await s.RequestSessionAsync(token: otherToken), HttpStatusCode.Forbidden, "not-owner");

        // A token from another tenant, presented with this tenant's home certificate.
        var foreign = await App.ScenarioAsync();
        await HttpAssert.ProblemAsync(await s.RequestSessionAsync(token: foreign.AccessToken), HttpStatusCode.Unauthorized, "token-invalid");
    }

    [Fact]
    public async Task Ticket_IsSingleUse_AndBoundToTheHomeCertificateAndTenant()
    {
        var s = await App.ScenarioAsync();
        var other = await App.ScenarioAsync();
        using var control = await s.OfficeOnlineAsync();
        var offer = await s.OfferAsync();
        var ticket = offer.GetProperty("ticket").GetString();

        // Another tenant's home device presenting it: the ticket does not exist there.
        await Assert.ThrowsAsync<WebSocketException>(() => App.ConnectAsync(other.Home.Certificate, "/api/v1/relay/data", ticket));
        // Another tenant's office PC answering the session: not waiting for it.
        await Assert.ThrowsAsync<WebSocketException>(() => App.ConnectAsync(other.Office.Certificate, $"/api/v1/relay/data?session={offer.GetProperty("sessionId").GetGuid()}"));

        var office = await s.EchoOfficeAsync(control);
        using var first = await App.ConnectAsync(s.Home.Certificate, "/api/v1/relay/data", ticket);
        await Assert.ThrowsAsync<WebSocketException>(() => App.ConnectAsync(s.Home.Certificate, "/api/v1/relay/data", ticket));
        // The refused upgrade names its problem in a header (a WebSocket client cannot read the body).
        Assert.Equal((HttpStatusCode.Forbidden, "ticket-invalid"), await App.RefusalAsync(s.Home.Certificate, "/api/v1/relay/data", ticket));
        await first.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await office;
    }

    [Fact]
    public async Task AdminDisconnect_ClosesTheLiveSessionWithinTwoSeconds_AndRecordsWhy()
    {
        var s = await App.ScenarioAsync();
        using var control = await s.OfficeOnlineAsync();
        var (sessionId, home, office) = await LiveAsync(s, control);

        var response = await s.Admin.Client.PostAsync(s.Admin.Url($"/api/v1/sessions/{sessionId}/disconnect"), null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // The relay node polls its commands every second (on the service's clock).
        App.Clock.Advance(TimeSpan.FromSeconds(1));

        var session = await Eventually.ValueAsync(() => s.SessionAsync(sessionId), x => x.State == SessionState.Ended);
        Assert.Equal(EndReasons.ByAdmin, session.EndReason);
        await office;
        home.Dispose();
        await HttpAssert.ProblemAsync(await s.Admin.Client.PostAsync(s.Admin.Url($"/api/v1/sessions/{sessionId}/disconnect"), null),
            HttpStatusCode.Conflict, "session-not-live");
    }

    [Fact]
    public async Task SuspendingTheTenant_DisablingTheUser_OrRevokingTheOffice_ClosesLiveSessions()
    {
        var ops = await App.OperatorClientAsync();
        foreach (var (act, reason) in new (Func<RelayScenario, Task>, string)[]
        {
            (async s => Assert.Equal(HttpStatusCode.OK, (await s.Admin.Client.PostAsync(s.Admin.Url($"/api/v1/users/{s.StaffId}/disable"), null)).StatusCode), "user_disabled"),
            (async s => Assert.Equal(HttpStatusCode.OK, (await s.Admin.Client.PostAsync(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}/revoke"), null)).StatusCode), "terminal_revoked"),
            (async s => Assert.Equal(HttpStatusCode.OK, (await ops.PostAsJsonAsync($"/api/v1/ops/tenants/{s.Admin.Tenant.Code}/suspend", new { reason = "未払い" })).StatusCode), "tenant_suspended"),
        })
        {
            var s = await App.ScenarioAsync();
            using var control = await s.OfficeOnlineAsync();
            var (sessionId, home, office) = await LiveAsync(s, control);
            await act(s);
            App.Clock.Advance(TimeSpan.FromSeconds(1));
            var session = await Eventually.ValueAsync(() => s.SessionAsync(sessionId), x => x.State == SessionState.Ended);
            Assert.Equal(reason, session.EndReason);
            await office;
            home.Dispose();
        }
    }

    [Fact]
    public async Task IdleSession_IsClosedAfterThePolicysIdleTimeout()
    {
        var s = await App.ScenarioAsync();
        var put = await s.Admin.Client.PutAsJsonAsync(s.Admin.Url("/api/v1/policy"), new { idleTimeout = "00:02:00" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var control = await s.OfficeOnlineAsync();
        var (sessionId, home, office) = await LiveAsync(s, control);

        App.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var session = await Eventually.ValueAsync(async () =>
        {
            App.Clock.Advance(TimeSpan.FromSeconds(1));
            return await s.SessionAsync(sessionId);
        }, x => x.State == SessionState.Ended);
        Assert.Equal(EndReasons.IdleTimeout, session.EndReason);
        await office;
        home.Dispose();
    }

    [Fact]
    public async Task OfficeGoesOffline_WhenItsControlConnectionCloses()
    {
        var s = await App.ScenarioAsync();
        var control = await s.OfficeOnlineAsync();
        await control.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        control.Dispose();
        await Eventually.UntilAsync(async () => !(await s.Admin.Client.GetFromJsonAsync<JsonElement>(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}")))
            .GetProperty("online").GetBoolean());
        await HttpAssert.ProblemAsync(await s.RequestSessionAsync(), HttpStatusCode.Conflict, "office-offline");
        var actions = await App.AuditActionsAsync(s.Admin.Tenant);
        Assert.Contains("terminal.online", actions);
        Assert.Contains("terminal.offline", actions);
    }

    [Fact]
    public async Task OfficeGoesOffline_AfterAnAdminRenamedAndMovedItWhileConnected()
    {
        // Issue 12, defect 2: the control connection used to save a stale tracked row on disconnect (concurrency
        // failure), leaving the terminal online for ever and the broker issuing tickets for it.
        var s = await App.ScenarioAsync();
        var control = await s.OfficeOnlineAsync();
        var put = await s.Admin.Client.PutAsJsonAsync(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}"), new { name = "窓口PC-2", location = "本庁舎3階" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        // A second report while connected (as after an agent restart of its RDP settings) must not undo the rename.
        await control.SendJsonAsync(new { type = "hello", agentVersion = "test", target = "127.0.0.1:3389", redirection = RelayKit.AllOff });

        await control.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        control.Dispose();

        var terminal = await Eventually.ValueAsync(
            () => s.Admin.Client.GetFromJsonAsync<JsonElement>(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}")), t => !t.GetProperty("online").GetBoolean());
        Assert.Equal("窓口PC-2", terminal.GetProperty("name").GetString());
        Assert.Equal("本庁舎3階", terminal.GetProperty("location").GetString());
        await HttpAssert.ProblemAsync(await s.RequestSessionAsync(), HttpStatusCode.Conflict, "office-offline");
        var offices = await OfficesAsync(s);
        Assert.False(offices[0].GetProperty("online").GetBoolean());
        Assert.Contains("terminal.offline", await App.AuditActionsAsync(s.Admin.Tenant));
    }

    [Fact]
    public async Task SessionEndpoints_AreTenantIsolatedAndAdminOnly()
    {
        var s = await App.ScenarioAsync();
        var other = await App.ScenarioAsync();
        using var control = await s.OfficeOnlineAsync();
        var offer = await s.OfferAsync();
        var id = offer.GetProperty("sessionId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.Client.GetAsync(s.Admin.Url($"/api/v1/sessions/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Admin.Client.GetAsync(other.Admin.Url($"/api/v1/sessions/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Admin.Client.PostAsync(other.Admin.Url($"/api/v1/sessions/{id}/disconnect"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Staff.Client.GetAsync(s.Staff.Url("/api/v1/sessions"))).StatusCode);
        Assert.Equal(0, (await other.Staff.Client.GetFromJsonAsync<JsonElement>(other.Staff.Url("/api/v1/me/sessions"))).GetProperty("total").GetInt32());
        await HttpAssert.ProblemAsync(await s.Admin.Client.GetAsync(s.Admin.Url("/api/v1/sessions?state=dancing")), HttpStatusCode.BadRequest);
    }

    private async Task<(Guid SessionId, ClientWebSocket Home, Task Office)> LiveAsync(RelayScenario s, ClientWebSocket control)
    {
        var offer = await s.OfferAsync();
        var office = await s.EchoOfficeAsync(control);
        var home = await App.ConnectAsync(s.Home.Certificate, "/api/v1/relay/data", offer.GetProperty("ticket").GetString());
        var id = offer.GetProperty("sessionId").GetGuid();
        await Eventually.ValueAsync(() => s.SessionAsync(id), x => x.State == SessionState.Live);
        return (id, home, office);
    }

    private static async Task<JsonElement> OfficesAsync(RelayScenario s)
    {
        using var client = s.HomeClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/relay/offices");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", s.AccessToken);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
