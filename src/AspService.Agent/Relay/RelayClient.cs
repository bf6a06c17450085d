using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using AspService.Agent.Output;
using AspService.Agent.Transport;

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

    public RelayClient(X509Certificate2 certificate, X509Certificate2Collection providerCa, ProxyChoice proxy, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(providerCa);
        ArgumentNullException.ThrowIfNull(text);
        _text = text;
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
