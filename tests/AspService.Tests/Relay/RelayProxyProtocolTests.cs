using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Text.Json;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Relay;

/// <summary>
/// PROXY protocol v2 over real TLS on loopback: 127.0.0.2 plays the trusted load balancer, 127.0.0.1 everyone else.
/// The client address in an allowed header is the one the policy's source networks and the audit see.
/// </summary>
public sealed class RelayProxyProtocolTests : IDisposable
{
    private static readonly IPAddress LoadBalancer = IPAddress.Parse("127.0.0.2");
    private static readonly IPEndPoint Citizen = new(IPAddress.Parse("203.0.113.7"), 40000);

    private readonly AppFactory _app = new(kestrel: true, settings: new() { ["Relay:ProxyProtocol:TrustedProxies:0"] = "127.0.0.2/32" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task HeaderFromTheLoadBalancer_IsWhatPolicyAndAuditSee_AndAHeaderFromAnyoneElseIsRefused()
    {
        var s = await _app.ScenarioAsync();
        var put = await s.Admin.Client.PutAsJsonAsync(s.Admin.Url("/api/v1/policy"), new { allowedSourceNetworks = new[] { "203.0.113.0/24" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var control = await s.OfficeOnlineAsync();

        // Through the load balancer, speaking for a client inside the allowed network: allowed.
        var allowed = await RequestAsync(s, LoadBalancer, ProxyV2.Proxy(Citizen, new IPEndPoint(LoadBalancer, 443)));
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        var sessionId = (await allowed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetGuid();
        await using (var db = _app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(_app.Binding(s.Admin.Tenant)))
        {
            Assert.Equal("203.0.113.7", (await db.Sessions.SingleAsync(x => x.Id == sessionId)).SourceAddress);
            Assert.Equal("203.0.113.7", (await db.AuditLog.SingleAsync(a => a.Action == "session.allowed")).Client);
        }

        // Directly from 127.0.0.1: the policy sees 127.0.0.1, outside the network.
        var direct = await HttpAssert.ProblemAsync(await RequestAsync(s, IPAddress.Loopback, header: null), HttpStatusCode.Forbidden, "session-denied");
        Assert.Contains("SourceNetworkNotAllowed", direct.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()));

        // A header from a sender that is not the load balancer: the connection is closed before TLS.
        await Assert.ThrowsAsync<HttpRequestException>(() => RequestAsync(s, IPAddress.Loopback, ProxyV2.Proxy(Citizen, new IPEndPoint(LoadBalancer, 443))));
        // The load balancer without a header (misconfigured): refused too, so it never passes as the client.
        await Assert.ThrowsAsync<HttpRequestException>(() => RequestAsync(s, LoadBalancer, header: null));
        // Its health check (LOCAL) is served with its own address.
        var local = await RequestAsync(s, LoadBalancer, ProxyV2.Local());
        await HttpAssert.ProblemAsync(local, HttpStatusCode.Forbidden, "session-denied");
    }

    /// <summary>POST /api/v1/relay/sessions over a TCP connection from <paramref name="from"/>, the header sent before TLS.</summary>
    private async Task<HttpResponseMessage> RequestAsync(RelayScenario s, IPAddress from, byte[]? header)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
                if (header is not null)
                {
                    await socket.SendAsync(header, ct);
                }

                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificateContext = SslStreamCertificateContext.Create(s.Home.Certificate, null, offline: true),
                RemoteCertificateValidationCallback = _app.ProviderCaOnly(),
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = _app.AgentAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/relay/sessions") { Content = JsonContent.Create(new { officeTerminalId = s.Office.Id }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.AccessToken);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
