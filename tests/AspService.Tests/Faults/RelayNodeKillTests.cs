using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using AspService.Server.Tenancy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Relay;
using AspService.Tests.Terminals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Faults;

/// <summary>
/// A relay node is the real server process, killed with SIGKILL while an office PC's control connection is on it: no
/// goodbye, no "offline" write. Within the node timeout (30 s, judged on the surviving node's clock) the office PC shows
/// offline and the broker issues no ticket for it.
/// </summary>
public sealed class RelayNodeKillTests : IDisposable
{
    private readonly AppFactory _web = new(kestrel: true);

    public void Dispose() => _web.Dispose();

    [Fact]
    public async Task RelayNodeKilled_ItsOfficePcIsOfflineWithin30Seconds_AndTheBrokerRefusesWith409()
    {
        var s = await _web.ScenarioAsync();
        var port = Agent.AgentFixtures.FreePort();
        using var node = StartRelayProcess(port);
        try
        {
            // The office agent's control connection, on the other node's agent listener.
            using var control = await Eventually.ValueAsync(async () =>
            {
                try
                {
                    return await _web.ConnectToAsync(new Uri($"wss://127.0.0.1:{port}/api/v1/relay/control"), s.Office.Certificate);
                }
                catch (WebSocketException)
                {
                    return null; // the process is still starting
                }
            }, c => c is not null, TimeSpan.FromMinutes(2));
            await control!.SendJsonAsync(new { type = "hello", agentVersion = "test", target = "127.0.0.1:3389", redirection = RelayKit.AllOff });
            await Eventually.UntilAsync(async () => (await TerminalAsync(s)).GetProperty("online").GetBoolean(), TimeSpan.FromMinutes(2));

            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
            var killed = DateTimeOffset.UtcNow;

            // The killed process heartbeat on real time; the surviving node's fake clock joins it. The admin and the staff
            // member sign in again there (their sessions were issued on the test's earlier date), each sign-in moving it 30 s.
            _web.Clock.SetUtcNow(killed - TimeSpan.FromMinutes(2));
            var admin = await _web.SignInAgainAsync(s.Admin);
            var token = await RelayKit.DeviceTokenAsync(_web.CreateDefaultClient(_web.WebAddress), await _web.SignInAgainAsync(s.Staff));
            _web.Clock.SetUtcNow(killed + TimeSpan.FromSeconds(30));

            Assert.False((await TerminalAsync(s with { Admin = admin })).GetProperty("online").GetBoolean());
            await HttpAssert.ProblemAsync(await s.RequestSessionAsync(token: token), HttpStatusCode.Conflict, "office-offline");
            await using var db = _web.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(_web.Binding(s.Admin.Tenant));
            Assert.Equal(0, await db.Sessions.CountAsync());
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<JsonElement> TerminalAsync(RelayScenario s) =>
        await s.Admin.Client.GetFromJsonAsync<JsonElement>(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}"));

    /// <summary>The server executable in the relay role on the same databases and keys as the in-process web node.</summary>
    private Process StartRelayProcess(int port)
    {
        return ServerProcess.Start(
        [
            "--urls", "http://127.0.0.1:0",
            "--Server:Roles=relay",
            "--Server:MigrateCatalogOnStart=false",
            "--Database:Provider=Sqlite",
            "--Database:DataRoot=" + _web.DataRoot,
            "--Tenancy:BaseDomain=" + AppFactory.BaseDomain,
            "--Relay:Listen=https://127.0.0.1:" + port,
            "--Relay:ServerNames:0=localhost",
            "--Relay:ServerNames:1=127.0.0.1",
            "--Logging:LogLevel:Default=Warning",
        ]);
    }
}
