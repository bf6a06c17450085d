using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace AspService.Benchmarks.Relay;

/// <summary>
/// What an agent does on the relay's agent listener (docs/relay-protocol.md): TLS 1.3 with its terminal certificate,
/// trusting only the provider CA it received at enrollment.
/// </summary>
public sealed class AgentTls(Uri agentAddress, X509Certificate2 providerCa)
{
    public Uri AgentAddress { get; } = agentAddress;

    public bool Validate(X509Certificate? presented, SslPolicyErrors errors) =>
        !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) && BenchCertificates.ChainsTo(providerCa, presented);

    /// <summary>A WebSocket to the agent listener (wss), presenting the terminal certificate.</summary>
    public async Task<ClientWebSocket> ConnectAsync(X509Certificate2 certificate, Uri baseAddress, string pathAndQuery, string? ticket, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.ClientCertificates.Add(certificate);
        socket.Options.RemoteCertificateValidationCallback = (_, presented, _, errors) => Validate(presented, errors);
        if (ticket is not null)
        {
            socket.Options.SetRequestHeader("X-Relay-Ticket", ticket);
        }

        var parts = pathAndQuery.Split('?', 2);
        var uri = new UriBuilder(baseAddress) { Scheme = "wss", Path = parts[0], Query = parts.Length > 1 ? parts[1] : "" }.Uri;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await socket.ConnectAsync(uri, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The relay's raw data tunnel (decision 0075): TLS 1.3 with the terminal certificate, the upgrade request head,
    /// 101 — then the TLS stream carries the session's bytes.
    /// </summary>
    public async Task<SslStream> OpenTunnelAsync(X509Certificate2 certificate, Uri tunnel, string pathAndQuery, string? ticket, CancellationToken ct)
    {
        var tls = new SslStream(new NetworkStream(await Tcp.ConnectAsync(tunnel.Port, ct), ownsSocket: true));
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = tunnel.Host,
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificateContext = SslStreamCertificateContext.Create(certificate, null, offline: true),
                RemoteCertificateValidationCallback = (_, presented, _, errors) => Validate(presented, errors),
            }, ct);
            var headers = ticket is null ? [] : new Dictionary<string, string> { ["X-Relay-Ticket"] = ticket };
            await tls.WriteAsync(AspService.Relay.TunnelProtocol.RequestHead(pathAndQuery, tunnel.Authority, headers), ct);
            var head = await AspService.Relay.TunnelProtocol.ReadHeadAsync(tls, ct);
            var status = head is null ? 0 : AspService.Relay.TunnelProtocol.Status(head);
            return status == 101 ? tls : throw new IOException($"tunnel refused: {status}");
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HTTPS client for the broker, presenting the home certificate.</summary>
    public HttpClient HttpClient(X509Certificate2 certificate) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 16,
        SslOptions = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls13,
            ClientCertificates = [certificate],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
            RemoteCertificateValidationCallback = (_, presented, _, errors) => Validate(presented, errors),
        },
    })
    {
        BaseAddress = AgentAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static Task SendJsonAsync(WebSocket socket, object message, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)), WebSocketMessageType.Text, true, ct);
}

/// <summary>
/// Stands in for <c>aspagent office run</c>: keeps the control connection (hello, heartbeats every 10 s) and answers
/// each session offer by opening the data stream and piping it to the local TCP target (the echo service).
/// </summary>
public sealed class OfficeStandIn : IAsyncDisposable
{
    private static readonly object AllOff = new { clipboard = false, drives = false, printers = false, ports = false };
    private readonly AgentTls _tls;
    private readonly X509Certificate2 _certificate;
    private readonly int _targetPort;
    private readonly ClientWebSocket _control;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _heartbeatStop = new();
    private readonly ConcurrentDictionary<Task, bool> _sessions = new();
    private Task _receiving = Task.CompletedTask;
    private Task _heartbeats = Task.CompletedTask;
    private int _failures;

    private OfficeStandIn(AgentTls tls, X509Certificate2 certificate, int targetPort, ClientWebSocket control)
    {
        _tls = tls;
        _certificate = certificate;
        _targetPort = targetPort;
        _control = control;
    }

    /// <summary>Answer offers through the relay's raw tunnel when they name one (else a WebSocket, as older agents do).</summary>
    public bool PreferTunnel { get; set; }

    /// <summary>Sessions that failed to open their data stream or target connection.</summary>
    public int Failures => Volatile.Read(ref _failures);

    public static async Task<OfficeStandIn> ConnectAsync(AgentTls tls, X509Certificate2 certificate, int targetPort, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tls);
        var control = await tls.ConnectAsync(certificate, tls.AgentAddress, "/api/v1/relay/control", null, ct);
        var office = new OfficeStandIn(tls, certificate, targetPort, control);
        await AgentTls.SendJsonAsync(control, new { type = "hello", agentVersion = "bench", target = $"127.0.0.1:{targetPort}", redirection = AllOff }, ct);
        office._receiving = Task.Run(office.ReceiveAsync, CancellationToken.None);
        office._heartbeats = Task.Run(office.HeartbeatAsync, CancellationToken.None);
        return office;
    }

    public async ValueTask DisposeAsync()
    {
        // Close the way an agent that stops does: a close frame, answered by the relay; cancelling the pending
        // receive instead would abort the connection.
        _heartbeatStop.Cancel();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _control.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            await _receiving.WaitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException or InvalidOperationException)
        {
            // The relay went first, or did not answer in time.
        }

        await _stop.CancelAsync();
        _control.Dispose();
        await Quietly(_receiving);
        await Quietly(_heartbeats);
        await Task.WhenAll(_sessions.Keys.Select(Quietly));
        _stop.Dispose();
        _heartbeatStop.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        while (_control.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var result = await _control.ReceiveAsync(buffer, _stop.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            using var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            if (message.RootElement.TryGetProperty("type", out var type) && type.GetString() == "session")
            {
                var tunnel = PreferTunnel && message.RootElement.TryGetProperty("tunnelUrl", out var t) ? new Uri(t.GetString()!) : null;
                var session = tunnel is null ? RunSessionAsync(message.RootElement.GetProperty("sessionId").GetGuid())
                    : RunTunnelSessionAsync(message.RootElement.GetProperty("sessionId").GetGuid(), tunnel);
                _sessions[session] = true;
                _ = session.ContinueWith(t => _sessions.TryRemove(t, out _), TaskScheduler.Default);
            }
        }
    }

    private async Task HeartbeatAsync()
    {
        while (!_heartbeatStop.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(10), _heartbeatStop.Token);
            await AgentTls.SendJsonAsync(_control, new { type = "heartbeat" }, CancellationToken.None);
        }
    }

    private async Task RunSessionAsync(Guid sessionId)
    {
        ClientWebSocket data;
        Socket target;
        try
        {
            data = await _tls.ConnectAsync(_certificate, _tls.AgentAddress, $"/api/v1/relay/data?session={sessionId}", null, _stop.Token);
            target = await Tcp.ConnectAsync(_targetPort, _stop.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or SocketException or OperationCanceledException)
        {
            Interlocked.Increment(ref _failures);
            return;
        }

        using (target)
        await using (var relay = WebSocketStream.Create(data, WebSocketMessageType.Binary, ownsWebSocket: true))
        await using (var local = new NetworkStream(target, ownsSocket: false))
        {
            await Splice.RunAsync(relay, () => CloseOutputAsync(data), local, () => Tcp.ShutdownSendAsync(target));
        }
    }

    private async Task RunTunnelSessionAsync(Guid sessionId, Uri tunnel)
    {
        SslStream relay;
        Socket target;
        try
        {
            relay = await _tls.OpenTunnelAsync(_certificate, tunnel, $"/api/v1/relay/data?session={sessionId}", null, _stop.Token);
            target = await Tcp.ConnectAsync(_targetPort, _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            Interlocked.Increment(ref _failures);
            return;
        }

        using (target)
        await using (relay)
        await using (var local = new NetworkStream(target, ownsSocket: false))
        {
            await Splice.RunAsync(relay, () => relay.ShutdownAsync(), local, () => Tcp.ShutdownSendAsync(target));
        }
    }

    private static async Task CloseOutputAsync(WebSocket socket)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException or JsonException)
        {
            // Stopping.
        }
    }
}

/// <summary>A staff member at home as the home agent holds them: home certificate, access token, HTTPS client for the broker.</summary>
public sealed class HomeStandIn(string tenantCode, Guid officeId, X509Certificate2 certificate, HttpClient broker, Func<CancellationToken, Task<string>> token)
{
    public X509Certificate2 Certificate { get; } = certificate;

    /// <summary>Asks the broker for a session; waits while the user is at the policy's concurrency limit (earlier sessions still ending).</summary>
    public async Task<(string Ticket, Uri RelayUrl, Uri? TunnelUrl)> RequestSessionAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/relay/sessions") { Content = JsonContent.Create(new { officeTerminalId = officeId }) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token(ct));
            using var response = await broker.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                using var offer = JsonDocument.Parse(body);
                var tunnel = offer.RootElement.TryGetProperty("tunnelUrl", out var t) && t.GetString() is { } url ? new Uri(url) : null;
                return (offer.RootElement.GetProperty("ticket").GetString()!, new Uri(offer.RootElement.GetProperty("relayUrl").GetString()!), tunnel);
            }

            var busy = body.Contains("TooManySessions", StringComparison.Ordinal) || body.Contains("office-offline", StringComparison.Ordinal);
            if (!busy || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"broker ({tenantCode}): {(int)response.StatusCode} {body}");
            }

            await Task.Delay(100, ct);
        }
    }
}
