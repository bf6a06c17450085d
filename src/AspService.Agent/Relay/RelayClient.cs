using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AspService.Agent.Output;
using AspService.Agent.Transport;
using AspService.Relay;

namespace AspService.Agent.Relay;

/// <summary>
/// Opens the relay's WebSockets (docs/relay-protocol.md): <see cref="ClientWebSocket"/> over the agent's own
/// <see cref="SocketsHttpHandler"/> (TLS 1.3, the terminal certificate, the server pinned to the provider CA, the
/// outbound proxy), so a WebSocket is authenticated exactly like an API call. HTTP/1.1 Upgrade only, which ordinary
/// proxies pass through a CONNECT tunnel.
/// </summary>
public sealed class RelayClient : IDisposable
{
    /// <summary>Bound on the whole opening (TCP, proxy, TLS, upgrade), so a silent peer cannot hold a reconnect loop.</summary>
    public static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(30);

    private readonly ServerTrust _trust;
    private readonly HttpMessageInvoker _invoker;
    private readonly AgentText _text;
    private readonly ProxyChoice _proxy;
    private readonly SslStreamCertificateContext _certificate;

    public RelayClient(X509Certificate2 certificate, X509Certificate2Collection providerCa, ProxyChoice proxy, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(providerCa);
        ArgumentNullException.ThrowIfNull(text);
        _text = text;
        _proxy = proxy;
        _certificate = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        _trust = ServerTrust.Pinned(providerCa);
        _invoker = new HttpMessageInvoker(AgentHttp.Handler(_trust, certificate, proxy), disposeHandler: true);
    }

    /// <summary>
    /// Opens <paramref name="address"/> (an https URL of the relay) as a WebSocket. Every failure becomes the agent's
    /// error: unreachable, untrusted-server, refused (certificate dropped at TLS), or server-problem with the
    /// HTTP status the relay answered instead of upgrading.
    /// </summary>
    public async Task<WebSocket> OpenAsync(Uri address, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var target = address.GetLeftPart(UriPartial.Authority);
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        // The relay pings every 15 s; our own pings (answered by pongs) notice a dead path even when we only listen.
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(20);
        socket.Options.SetRequestHeader("Accept-Language", _text.LanguageTag);
        socket.Options.SetRequestHeader("User-Agent", "aspagent/" + AgentHttp.Version);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(OpenTimeout);
        try
        {
            await socket.ConnectAsync(WebSocketAddress(address), _invoker, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw Failure(ex, status, target);
        }
    }

    /// <summary>
    /// A session's data stream: through the relay node's raw tunnel when the relay offered one and the path to it is
    /// direct (decision 0075), else — or when the tunnel cannot be reached before anything was sent — a WebSocket on
    /// <paramref name="relayUrl"/>. <paramref name="pathAndQuery"/> is <c>api/v1/relay/data…</c>.
    /// </summary>
    public async Task<RelayLink> OpenDataAsync(Uri relayUrl, Uri? tunnelUrl, string pathAndQuery, IReadOnlyDictionary<string, string>? headers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relayUrl);
        if (tunnelUrl is { IsAbsoluteUri: true, Scheme: "https" } && _proxy.IsDirect(tunnelUrl)
            && await OpenTunnelAsync(tunnelUrl, "/" + pathAndQuery, headers, cancellationToken).ConfigureAwait(false) is { } tunnel)
        {
            return RelayLink.Tunnel(tunnel);
        }

        return RelayLink.WebSocket(await OpenAsync(ServerAddress.Combine(relayUrl, pathAndQuery), headers, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The raw tunnel: TCP, TLS 1.3 with the terminal certificate and the pinned provider CA, one request head, 101.
    /// Null when it cannot be reached or the TLS handshake fails (nothing was sent: the ticket is still unused); a
    /// refusal after the request is the relay's answer and becomes the agent's error, as on the WebSocket path.
    /// </summary>
    private async Task<SslStream?> OpenTunnelAsync(Uri tunnel, string pathAndQuery, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(OpenTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? tls = null;
        try
        {
            await socket.ConnectAsync(tunnel.DnsSafeHost, tunnel.Port, timeout.Token).ConfigureAwait(false);
            tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = tunnel.IdnHost,
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificateContext = _certificate,
                RemoteCertificateValidationCallback = _trust.Validate,
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or AuthenticationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (tls is not null)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            return null;
        }

        try
        {
            var all = new Dictionary<string, string>(headers ?? new Dictionary<string, string>())
            {
                ["Accept-Language"] = _text.LanguageTag,
                ["User-Agent"] = "aspagent/" + AgentHttp.Version,
            };
            await tls.WriteAsync(TunnelProtocol.RequestHead(pathAndQuery, tunnel.Authority, all), timeout.Token).ConfigureAwait(false);
            var head = await TunnelProtocol.ReadHeadAsync(tls, timeout.Token).ConfigureAwait(false);
            var status = head is null ? 0 : TunnelProtocol.Status(head);
            if (status == (int)HttpStatusCode.SwitchingProtocols)
            {
                return tls;
            }

            await tls.DisposeAsync().ConfigureAwait(false);
            var target = tunnel.GetLeftPart(UriPartial.Authority);
            if (status == 0)
            {
                // Closed without an answer: the relay dropped the certificate right after the handshake.
                throw new AgentException(ExitCode.Refused, "refused", _text.Get("refused", "connection closed"));
            }

            var failure = new AgentException(ExitCode.ServerProblem, "server-problem", _text.Get("relay_status", target, status));
            failure.Details["status"] = status;
            throw failure;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or AuthenticationException && !cancellationToken.IsCancellationRequested)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new AgentException(ExitCode.Refused, "refused", _text.Get("refused", ServerCall.Reason(ex)), ex);
        }
    }

    private AgentException Failure(Exception ex, HttpStatusCode status, string target)
    {
        if (status is not 0 and not HttpStatusCode.SwitchingProtocols)
        {
            // The relay answered with a problem instead of upgrading; a WebSocket client sees only its status.
            var failure = new AgentException(ExitCode.ServerProblem, "server-problem", _text.Get("relay_status", target, (int)status), ex);
            failure.Details["status"] = (int)status;
            return failure;
        }

        return ex switch
        {
            OperationCanceledException => new AgentException(ExitCode.Unreachable, "unreachable", _text.Get("timeout", target), ex),
            HttpRequestException http => ServerCall.Failure(http, _trust, mutualTls: true, target, _text),
            _ when ex.InnerException is HttpRequestException http => ServerCall.Failure(http, _trust, mutualTls: true, target, _text),
            _ when _trust.Failure is not null => new AgentException(ExitCode.UntrustedServer, "untrusted-server", _text.Get("untrusted_server", target, _trust.Failure), ex),
            _ => new AgentException(ExitCode.Refused, "refused", _text.Get("refused", ServerCall.Reason(ex)), ex),
        };
    }

    /// <summary>https://relay/path → wss://relay/path (ClientWebSocket speaks ws/wss; the handler sees https).</summary>
    public static Uri WebSocketAddress(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var builder = new UriBuilder(address)
        {
            Scheme = address.Scheme == Uri.UriSchemeHttp ? "ws" : "wss",
            Port = address.IsDefaultPort ? -1 : address.Port,
        };
        return builder.Uri;
    }

    public void Dispose() => _invoker.Dispose();
}
