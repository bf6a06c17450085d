using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Text.Json;
using AspService.Data.Sessions;
using AspService.Server.Relay;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;

namespace AspService.Tests.Relay;

/// <summary>
/// The raw data tunnel (decision 0075) over real TLS on loopback: same tickets, policy, pairing and records as the
/// WebSocket path; the two paths pair with each other.
/// </summary>
public sealed class RelayTunnelTests(KestrelHost host) : IClassFixture<KestrelHost>
{
    private AppFactory App => host.App;

    [Fact]
    public async Task Tunnel_PipesEightMiBBothWaysUnchanged_PassesHalfClose_AndRecordsBytes()
    {
        var s = await App.ScenarioAsync();
        using var control = await s.OfficeOnlineAsync();
        var offer = await s.OfferAsync();
        var tunnel = new Uri(offer.GetProperty("tunnelUrl").GetString()!);
        var invitation = await control.ReceiveJsonAsync();
        Assert.Equal(tunnel.ToString(), new Uri(invitation.GetProperty("tunnelUrl").GetString()!).ToString());
        var sessionId = invitation.GetProperty("sessionId").GetGuid();

        var officeSide = await App.OpenAsync(tunnel, s.Office.Certificate, $"/api/v1/relay/data?session={sessionId}");
        Assert.Equal(101, officeSide.Status);
        var office = EchoAsync(officeSide.Stream!);
        var homeSide = await App.OpenAsync(tunnel, s.Home.Certificate, "/api/v1/relay/data", offer.GetProperty("ticket").GetString());
        Assert.Equal(101, homeSide.Status);
        await using var home = homeSide.Stream!;

        var payload = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        var echoed = new MemoryStream();
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await home.ReadAsync(buffer)) > 0)
            {
                echoed.Write(buffer, 0, read);
            }
        });
        for (var offset = 0; offset < payload.Length; offset += 100_000)
        {
            await home.WriteAsync(payload.AsMemory(offset, Math.Min(100_000, payload.Length - offset)));
        }

        // Half-close: the home side stops sending (close_notify) and still receives the rest of the echo, which the
        // office side only finishes once it saw that end passed on.
        await home.ShutdownAsync();
        await reader;
        await office;

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(echoed.ToArray()));
        var session = await Eventually.ValueAsync(() => s.SessionAsync(sessionId), x => x.State == SessionState.Ended);
        Assert.Equal(payload.Length, session.BytesHomeToOffice);
        Assert.Equal(payload.Length, session.BytesOfficeToHome);
        Assert.Equal(EndReasons.HomeClosed, session.EndReason);
        Assert.Contains("session.started", await App.AuditActionsAsync(s.Admin.Tenant));
    }

    [Fact]
    public async Task Tunnel_TicketIsSingleUse_OtherTenantsCertificatesGetNothing_AndPairsWithAWebSocketOffice()
    {
        var s = await App.ScenarioAsync();
        var other = await App.ScenarioAsync();
        using var control = await s.OfficeOnlineAsync();
        var offer = await s.OfferAsync();
        var tunnel = new Uri(offer.GetProperty("tunnelUrl").GetString()!);
        var ticket = offer.GetProperty("ticket").GetString();
        var sessionId = offer.GetProperty("sessionId").GetGuid();

        // Another tenant's home device with this ticket: unknown there. Another tenant's office PC: not its session.
        Assert.Equal((403, "ticket-invalid"), Short(await App.OpenAsync(tunnel, other.Home.Certificate, "/api/v1/relay/data", ticket)));
        Assert.Equal((404, "session-not-waiting"), Short(await App.OpenAsync(tunnel, other.Office.Certificate, $"/api/v1/relay/data?session={sessionId}")));
        // Not the tunnel's upgrade: refused with a problem, nothing consumed.
        var plain = await App.OpenAsync(tunnel, s.Home.Certificate, "/api/v1/relay/data", ticket, upgrade: false);
        Assert.Equal((400, "tunnel-required"), Short(plain));
        Assert.Equal("https://aspservice.example/problems/tunnel-required", plain.Body!.Value.GetProperty("type").GetString());

        // The office answers over WebSocket (an older agent), the home side over the tunnel: the relay pairs them.
        var office = await s.EchoOfficeAsync(control);
        var first = await App.OpenAsync(tunnel, s.Home.Certificate, "/api/v1/relay/data", ticket);
        Assert.Equal(101, first.Status);
        Assert.Equal((403, "ticket-invalid"), Short(await App.OpenAsync(tunnel, s.Home.Certificate, "/api/v1/relay/data", ticket)));
        await using (var home = first.Stream!)
        {
            await home.WriteAsync("hello"u8.ToArray());
            var buffer = new byte[5];
            await home.ReadExactlyAsync(buffer);
            Assert.Equal("hello"u8.ToArray(), buffer);
            await home.ShutdownAsync();
            Assert.Equal(0, await home.ReadAsync(buffer));
        }

        await office;
        var session = await Eventually.ValueAsync(() => s.SessionAsync(sessionId), x => x.State == SessionState.Ended);
        Assert.Equal((5L, 5L), (session.BytesHomeToOffice, session.BytesOfficeToHome));

        // How it ended, for the home agent (the tunnel's close carries no reason): its own session only.
        var status = await StatusAsync(s, s, sessionId);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var body = await status.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("ended", "home_closed"), (body.GetProperty("state").GetString(), body.GetProperty("endReason").GetString()));
        await HttpAssert.ProblemAsync(await StatusAsync(other, other, sessionId), HttpStatusCode.NotFound, "session-not-found");
    }

    private static async Task<HttpResponseMessage> StatusAsync(RelayScenario device, RelayScenario signedIn, Guid sessionId)
    {
        using var client = device.HomeClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/relay/sessions/{sessionId}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", signedIn.AccessToken);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [Fact]
    public async Task Tunnel_RechecksThePolicyAtPairing_AndRefusesARevokedCertificateAtTheHandshake()
    {
        var s = await App.ScenarioAsync();
        using var control = await s.OfficeOnlineAsync();
        var offer = await s.OfferAsync();
        var tunnel = new Uri(offer.GetProperty("tunnelUrl").GetString()!);
        var put = await s.Admin.Client.PutAsJsonAsync(s.Admin.Url("/api/v1/policy"), new { allowedSourceNetworks = new[] { "203.0.113.0/24" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var denied = await App.OpenAsync(tunnel, s.Home.Certificate, "/api/v1/relay/data", offer.GetProperty("ticket").GetString());
        Assert.Equal((403, "session-denied"), Short(denied));
        Assert.Contains("SourceNetworkNotAllowed", denied.Body!.Value.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()));
        var session = await s.SessionAsync(offer.GetProperty("sessionId").GetGuid());
        Assert.Equal((SessionState.Ended, EndReasons.PolicyDenied), (session.State, session.EndReason));

        var revoke = await s.Admin.Client.PostAsync(s.Admin.Url($"/api/v1/terminals/{s.Home.Id}/revoke"), null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(0, (await App.OpenAsync(tunnel, s.Home.Certificate, "/api/v1/relay/data", "anything")).Status);
    }

    private static (int, string?) Short(TunnelAnswer answer) => (answer.Status, answer.Problem);

    private static async Task EchoAsync(SslStream stream)
    {
        await using (stream)
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read));
            }

            await stream.ShutdownAsync();
        }
    }
}
