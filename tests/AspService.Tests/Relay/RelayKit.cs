using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using AspService.Data.Sessions;
using AspService.Server.Pki;
using AspService.Server.Tenancy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Relay;

/// <summary>One tenant with an office PC and a staff member at home, wired as the relay needs them (Kestrel host).</summary>
public sealed record RelayScenario(AppFactory App, TenantSession Admin, TenantSession Staff, Guid StaffId, string AccessToken,
    EnrolledTerminal Office, EnrolledTerminal Home)
{
    public HttpClient HomeClient() => App.MtlsClient(Home.Certificate);

    public async Task<HttpResponseMessage> RequestSessionAsync(Guid? office = null, string? token = null, X509Certificate2? certificate = null)
    {
        using var client = App.MtlsClient(certificate ?? Home.Certificate);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/relay/sessions") { Content = JsonContent.Create(new { officeTerminalId = office ?? Office.Id }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AccessToken);
        return await client.SendAsync(request);
    }

    /// <summary>The session row as the relay recorded it.</summary>
    public async Task<RelaySession> SessionAsync(Guid id)
    {
        await using var db = App.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(App.Binding(Admin.Tenant));
        return await db.Sessions.AsNoTracking().SingleAsync(x => x.Id == id);
    }

    public async Task<JsonElement> OfferAsync()
    {
        var response = await RequestSessionAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

public static class RelayKit
{
    public static readonly object AllOff = new { clipboard = false, drives = false, printers = false, ports = false };

    /// <summary>Staff member with a device-flow token, an assigned office PC and their own home device.</summary>
    public static async Task<RelayScenario> ScenarioAsync(this AppFactory app)
    {
        var admin = await app.TenantAdminAsync();
        var (staff, staffId) = await app.InviteAndSignInAsync(admin);
        var web = app.CreateDefaultClient(app.WebAddress);
        var office = await TerminalKit.EnrollAsync(web, admin.Tenant.Code, await admin.TokenAsync("office"));
        var home = await TerminalKit.EnrollAsync(web, admin.Tenant.Code, await admin.TokenAsync("home", ownerUserId: staffId));
        var assign = await admin.Client.PostAsJsonAsync(admin.Url($"/api/v1/terminals/{office.Id}/assignments"), new { userId = staffId });
        Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
        return new RelayScenario(app, admin, staff, staffId, await DeviceTokenAsync(web, staff), office, home);
    }

    /// <summary>The OAuth device flow over the plain-HTTP loopback web listener, approved by the signed-in staff member.</summary>
    public static async Task<string> DeviceTokenAsync(HttpClient web, TenantSession staff)
    {
        var code = staff.Tenant.Code;
        var device = await web.PostAsync($"/t/{code}/connect/device", DeviceFlowTests.Form(("client_id", "aspagent"), ("scope", "openid offline_access")));
        Assert.True(device.IsSuccessStatusCode, await device.Content.ReadAsStringAsync());
        var codes = await device.Content.ReadFromJsonAsync<JsonElement>();
        await Consoles.DeviceApproval.ApproveAsync(staff.Client, staff.Url("/connect/verify"), codes.GetProperty("user_code").GetString()!);
        var token = await web.PostAsync($"/t/{code}/connect/token", DeviceFlowTests.Form(("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", codes.GetProperty("device_code").GetString()!), ("client_id", "aspagent")));
        Assert.True(token.IsSuccessStatusCode, await token.Content.ReadAsStringAsync());
        return (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>A WebSocket to the agent listener, presenting the certificate and trusting only the provider CA.</summary>
    public static Task<ClientWebSocket> ConnectAsync(this AppFactory app, X509Certificate2 certificate, string path, string? ticket = null) =>
        app.ConnectToAsync(app.Wss(path), certificate, ticket);

    /// <summary>A WebSocket to any agent listener sharing this host's provider CA (another relay node).</summary>
    public static async Task<ClientWebSocket> ConnectToAsync(this AppFactory app, Uri address, X509Certificate2 certificate, string? ticket = null)
    {
        var socket = app.NewSocket(certificate, ticket);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(address, timeout.Token);
        return socket;
    }

    /// <summary>A refused upgrade: its status and the problem the relay names in <c>X-Relay-Problem</c>.</summary>
    public static async Task<(HttpStatusCode Status, string? Problem)> RefusalAsync(this AppFactory app, X509Certificate2 certificate, string path, string? ticket = null)
    {
        using var socket = app.NewSocket(certificate, ticket);
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(app.Wss(path), CancellationToken.None));
        return (socket.HttpStatusCode, socket.HttpResponseHeaders?.GetValueOrDefault("X-Relay-Problem")?.FirstOrDefault());
    }

    private static ClientWebSocket NewSocket(this AppFactory app, X509Certificate2 certificate, string? ticket)
    {
        var socket = new ClientWebSocket();
        socket.Options.ClientCertificates.Add(certificate);
        socket.Options.RemoteCertificateValidationCallback = app.ProviderCaOnly();
        if (ticket is not null)
        {
            socket.Options.SetRequestHeader("X-Relay-Ticket", ticket);
        }

        return socket;
    }

    /// <summary>Server validation the way agents do it: the relay's certificate must chain to the provider CA, nothing else.</summary>
    public static System.Net.Security.RemoteCertificateValidationCallback ProviderCaOnly(this AppFactory app)
    {
        var providerCa = app.Services.GetRequiredService<ProviderCa>().Certificate;
        return (_, server, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(providerCa);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return server is X509Certificate2 s && chain.Build(s);
        };
    }

    private static Uri Wss(this AppFactory app, string path) =>
        new UriBuilder(app.AgentAddress) { Scheme = "wss", Path = path.Split('?')[0], Query = path.Contains('?') ? path.Split('?')[1] : "" }.Uri;

    public static Task SendJsonAsync(this WebSocket socket, object message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)), WebSocketMessageType.Text, true, CancellationToken.None);

    public static async Task<JsonElement> ReceiveJsonAsync(this WebSocket socket, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }

    /// <summary>An office agent stand-in: control connection with a hello reporting every redirection off.</summary>
    public static async Task<ClientWebSocket> OfficeOnlineAsync(this RelayScenario s, object? redirection = null)
    {
        var control = await s.App.ConnectAsync(s.Office.Certificate, "/api/v1/relay/control");
        await control.SendJsonAsync(new { type = "hello", agentVersion = "test", target = "127.0.0.1:3389", redirection = redirection ?? AllOff });
        await Eventually.UntilAsync(async () => (await s.Admin.Client.GetFromJsonAsync<JsonElement>(s.Admin.Url($"/api/v1/terminals/{s.Office.Id}")))
            .GetProperty("online").GetBoolean());
        return control;
    }

    /// <summary>The office side of a session: answers the offer by opening the data stream and echoing every byte back.</summary>
    public static async Task<Task> EchoOfficeAsync(this RelayScenario s, ClientWebSocket control)
    {
        var offer = await control.ReceiveJsonAsync();
        Assert.Equal("session", offer.GetProperty("type").GetString());
        var data = await s.App.ConnectAsync(s.Office.Certificate, $"/api/v1/relay/data?session={offer.GetProperty("sessionId").GetGuid()}");
        return Task.Run(async () =>
        {
            await using var stream = WebSocketStream.Create(data, WebSocketMessageType.Binary, TimeSpan.FromSeconds(2));
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read));
            }

            if (data.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await data.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        });
    }
}
