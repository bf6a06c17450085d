using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using AspService.Data;
using AspService.Data.Sessions;
using AspService.Server.Relay;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Relay;

/// <summary>Two relay nodes sharing one catalog and tenant databases: routing to the node that holds the office PC, node loss.</summary>
public sealed class RelayMultiNodeTests : IDisposable
{
    private readonly AppFactory _a = new(kestrel: true);
    private readonly AppFactory _b;

    public RelayMultiNodeTests()
    {
        _b = new AppFactory(dataRoot: _a.DataRoot, kestrel: true);
    }

    public void Dispose()
    {
        _b.Dispose();
        _a.Dispose();
    }

    [Fact]
    public async Task Broker_SendsTheHomeAgentToTheNodeHoldingTheOffice_AndANodeThatVanishesTakesItsTerminalsOffline()
    {
        _ = _b.WebAddress; // both nodes up and registered
        var s = await _a.ScenarioAsync();
        using var control = await s.OfficeOnlineAsync(); // office PC connected to node A
        // Each host has its own fake clock, and signing in (TOTP) moved A's: the nodes share one time, as real ones do.
        _b.Clock.SetUtcNow(_a.Clock.GetUtcNow());

        // The home agent asks node B; B's broker tells it to go to A, and A tells the office PC.
        var response = await new RelayScenario(_b, s.Admin, s.Staff, s.StaffId, s.AccessToken, s.Office, s.Home).RequestSessionAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var offer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(_a.AgentAddress.ToString().TrimEnd('/'), offer.GetProperty("relayUrl").GetString());
        _a.Clock.Advance(TimeSpan.FromSeconds(1)); // A polls the broadcast offer
        var office = await s.EchoOfficeAsync(control);
        using (var home = await _a.ConnectAsync(s.Home.Certificate, "/api/v1/relay/data", offer.GetProperty("ticket").GetString()))
        {
            await using var stream = WebSocketStream.Create(home, WebSocketMessageType.Binary, TimeSpan.FromSeconds(2));
            var payload = RandomNumberGenerator.GetBytes(64 * 1024);
            await stream.WriteAsync(payload);
            var echoed = new byte[payload.Length];
            await stream.ReadExactlyAsync(echoed);
            Assert.Equal(payload, echoed);
            await home.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        await office;
        await using (var db = _a.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(_a.Binding(s.Admin.Tenant)))
        {
            var session = await Eventually.ValueAsync(() => db.Sessions.AsNoTracking().SingleAsync(), x => x.State == SessionState.Ended);
            Assert.Equal(_a.Services.GetRequiredService<RelayNodeIdentity>().Id, session.RelayNodeId);
        }

        // Node A stops heartbeating (a crash: no goodbye). Once B's clock passes the node timeout, the office PC is offline.
        _b.Clock.Advance(TimeSpan.FromSeconds(31));
        // The admin's browser session, on node B's web listener (same key ring, same cookie).
        var jar = new AspService.Tests.Identity.CookieJar();
        foreach (var (name, value) in s.Admin.Cookies.Values)
        {
            jar.Values[name] = value;
        }

        using var admin = _b.CreateDefaultClient(_b.WebAddress, jar);
        var terminal = await admin.GetFromJsonAsync<JsonElement>(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}"));
        Assert.False(terminal.GetProperty("online").GetBoolean());
        var again = await new RelayScenario(_b, s.Admin, s.Staff, s.StaffId, s.AccessToken, s.Office, s.Home).RequestSessionAsync();
        await HttpAssert.ProblemAsync(again, HttpStatusCode.Conflict, "office-offline");
    }
}
