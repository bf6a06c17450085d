using System.Net.Security;
using System.Net.WebSockets;

namespace AspService.Agent.Relay;

/// <summary>
/// A session's data stream to the relay, whichever way it was opened: the raw tunnel (TLS, end of sending =
/// close_notify; decision 0075) or a WebSocket (binary messages, end of sending = close frame, which also carries
/// the relay's end reason).
/// </summary>
public sealed class RelayLink : IDisposable
{
    private readonly WebSocket? _socket;
    private readonly SslStream? _tunnel;

    private RelayLink(Stream stream, WebSocket? socket, SslStream? tunnel)
    {
        Stream = stream;
        _socket = socket;
        _tunnel = tunnel;
    }

    public static RelayLink Tunnel(SslStream tunnel) => new(tunnel, null, tunnel);

    public static RelayLink WebSocket(WebSocket socket) =>
        new(WebSocketStream.Create(socket, WebSocketMessageType.Binary, TimeSpan.FromSeconds(2)), socket, null);

    public Stream Stream { get; }

    public bool IsTunnel => _tunnel is not null;

    /// <summary>The relay's reason when it ended the session (WebSocket close frame); the tunnel has none.</summary>
    public string? CloseReason => _socket?.CloseStatusDescription is { Length: > 0 } why ? why : null;

    /// <summary>No more bytes from this side; the other direction stays open.</summary>
    public async Task HalfCloseAsync(CancellationToken ct)
    {
        if (_tunnel is not null)
        {
            await _tunnel.ShutdownAsync().ConfigureAwait(false);
        }
        else if (_socket!.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the stream at once, telling the relay why where the transport can (the office's target is unreachable).</summary>
    public async Task CloseAsync(string reason, CancellationToken ct)
    {
        if (_socket is not null)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, reason, ct).ConfigureAwait(false);
        }
        else
        {
            await _tunnel!.ShutdownAsync().ConfigureAwait(false);
        }
    }

    public void Abort()
    {
        _socket?.Abort();
        _tunnel?.Dispose();
    }

    public void Dispose()
    {
        _socket?.Dispose();
        _tunnel?.Dispose();
    }
}
