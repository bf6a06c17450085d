using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AspService.Relay;
using AspService.Server.Hosting;
using AspService.Server.Pki;
using AspService.Server.Tenancy;
using Microsoft.Extensions.Options;

namespace AspService.Server.Relay;

/// <summary>
/// The relay's raw data tunnel (decision 0075): its own socket and <see cref="SslStream"/>, no Kestrel, no HTTP
/// pipeline, no WebSocket framing. Each connection passes the same gates as the agent listener — PROXY protocol
/// (<see cref="ProxyProtocolGate"/>), TLS 1.3 with a client certificate (<see cref="AgentListener.ServerOptions"/>),
/// the certificate against the tenant and database (<see cref="TerminalVerifier"/>) — then one request head
/// (<see cref="TunnelProtocol"/>), the same ticket, policy and session checks as the WebSocket path
/// (<see cref="DataEndpoint"/>), and the TLS stream itself is piped.
/// </summary>
public sealed class TunnelListener(
    IOptions<TunnelOptions> options,
    IOptions<ServerOptions> server,
    RelayServerCertificate certificate,
    ProxyProtocolGate gate,
    TerminalVerifier verifier,
    IServiceScopeFactory scopes,
    IServiceProvider services,
    ILogger<TunnelListener> logger) : BackgroundService
{
    // For the TLS handshake, and again for the request head after it (as the agent listener).
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private Socket? _listener;

    /// <summary>What agents are told (null while off or not yet bound).</summary>
    public string? PublicUrl { get; private set; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (server.Value.ParsedRoles.HasFlag(ServerRoles.Relay) && options.Value.Enabled)
        {
            // Bound before the host reports started, so the node registers with its tunnel address.
            var uri = new Uri(options.Value.Listen.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
            var address = uri.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host.Trim('[', ']'));
            _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            _listener.Bind(new IPEndPoint(address, uri.Port));
            _listener.Listen(1024);
            var port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
            PublicUrl = string.IsNullOrWhiteSpace(options.Value.PublicUrl)
                ? new UriBuilder(AgentAddress.PublicUrl(services)) { Port = port, Path = "" }.Uri.ToString().TrimEnd('/')
                : options.Value.PublicUrl.TrimEnd('/');
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_listener is null)
        {
            return;
        }

        using var stop = stoppingToken.Register(() => _listener.Dispose());
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && stoppingToken.IsCancellationRequested)
            {
                break;
            }

            _ = Task.Run(() => ServeAsync(client, stoppingToken), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            client.NoDelay = true;
            var peer = await AdmitAsync(client, connection.Token);
            if (peer is null)
            {
                client.Dispose();
                return;
            }

            await using var tls = new SslStream(new NetworkStream(client, ownsSocket: true), leaveInnerStreamOpen: false);
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(connection.Token))
            {
                handshake.CancelAfter(HandshakeTimeout);
                await tls.AuthenticateAsServerAsync(AgentListener.ServerOptions(certificate), handshake.Token);
            }

            var outcome = await verifier.VerifyAsync(tls.RemoteCertificate as X509Certificate2, peer.Address.ToString(), connection.Token);
            if (outcome.Terminal is not { } terminal)
            {
                return; // Refused, logged and audited by the verifier; the client sees the connection close.
            }

            await ServeRequestAsync(tls, terminal, peer.Address, connection.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException
            or System.Security.Authentication.AuthenticationException)
        {
            // A client that left, failed the handshake or timed out: nothing to answer.
            logger.LogDebug("Tunnel connection ended early: {Error}", ex.GetType().Name);
            client.Dispose();
        }
        catch (Exception ex)
        {
            // Nothing awaits this task: a fault would otherwise vanish unobserved. Logged (as an unhandled request
            // would be), the connection dropped, the listener goes on.
            logger.LogError(ex, "Tunnel connection failed");
            client.Dispose();
        }
    }

    /// <summary>Before TLS: the PROXY protocol gate, then the header's bytes taken off the socket. Null: refused.</summary>
    private async Task<IPEndPoint?> AdmitAsync(Socket client, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProxyProtocolGate.HeaderTimeout);
        var head = new byte[ProxyHeader.MaxLength];
        var peer = client.RemoteEndPoint as IPEndPoint;
        while (true)
        {
            var seen = await client.ReceiveAsync(head, SocketFlags.Peek, timeout.Token);
            var decision = gate.Decide(head.AsSpan(0, seen), peer, noMoreData: seen == 0);
            switch (decision.Verdict)
            {
                case ProxyProtocolGate.Verdict.NeedMore:
                    // A header split across segments (rare): peek again once more has arrived.
                    await Task.Delay(5, timeout.Token);
                    continue;
                case ProxyProtocolGate.Verdict.Refuse:
                    return null;
            }

            for (var taken = 0; taken < decision.Consumed;)
            {
                taken += await client.ReceiveAsync(head.AsMemory(taken, decision.Consumed - taken), SocketFlags.None, timeout.Token);
            }

            return decision.Client;
        }
    }

    private async Task ServeRequestAsync(SslStream tls, TerminalConnection terminal, IPAddress client, CancellationToken ct)
    {
        string? head;
        // A client that never finishes its request head (garbage, slowloris) is dropped like one that stalls its handshake.
        using (var reading = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            reading.CancelAfter(HandshakeTimeout);
            head = await TunnelProtocol.ReadHeadAsync(tls, reading.Token);
        }

        var request = head is null ? null : TunnelProtocol.ParseRequest(head);
        if (request is null || !TunnelProtocol.IsTunnelRequest(request))
        {
            await RefuseAsync(tls, Problems.Titled(StatusCodes.Status400BadRequest, "tunnel-required", RelayText.Get("tunnel_required")));
            return;
        }

        // A scope per data stream, bound to the certificate's tenant, like a request on the agent listener.
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(terminal.Tenant);
        var data = scope.ServiceProvider.GetRequiredService<DataEndpoint>();
        var (session, problem) = await data.CheckAsync(terminal, request.Header("X-Relay-Ticket"), request.Session, client, ct);
        if (problem is not null)
        {
            await RefuseAsync(tls, problem);
            return;
        }

        await tls.WriteAsync(TunnelProtocol.SwitchingProtocols(), ct);
        await tls.FlushAsync(ct);
        await data.PipeAsync(terminal, session!, tls, ct);
    }

    private static async Task RefuseAsync(SslStream tls, IResult problem)
    {
        var details = (problem as Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult)?.ProblemDetails;
        var json = details is null ? "{}" : JsonSerializer.Serialize(details, ControlHub.Json);
        await tls.WriteAsync(TunnelProtocol.Refusal(details?.Status ?? StatusCodes.Status400BadRequest, DataEndpoint.ProblemName(problem), json));
        await tls.ShutdownAsync();
    }

    public override void Dispose()
    {
        _listener?.Dispose();
        base.Dispose();
    }
}
