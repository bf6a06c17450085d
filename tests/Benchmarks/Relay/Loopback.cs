using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;

namespace AspService.Benchmarks.Relay;

/// <summary>A TCP service on a free loopback port, one task per connection, stopped on dispose.</summary>
public sealed class LoopbackService : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Socket, Task> _handle;
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly Task _accepting;

    private LoopbackService(Func<Socket, Task> handle)
    {
        _handle = handle;
        _listener.Start(1024);
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Stands for the office PC's RDP server: sends every byte back.</summary>
    public static LoopbackService Echo() => new(async socket =>
    {
        using (socket)
        await using (var stream = new NetworkStream(socket, ownsSocket: false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Splice.BufferSize);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(0, Splice.BufferSize))) > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, read));
                }

                socket.Shutdown(SocketShutdown.Send);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    });

    /// <summary>
    /// The office end of a TLS path (nginx with <c>proxy_ssl</c>): terminates TLS 1.3 (client certificate required)
    /// and pipes to the echo service, as the relay's office stand-in pipes its WebSocket to it.
    /// </summary>
    public static LoopbackService TlsTerminator(BenchCertificates certificates, int echoPort) => new(async socket =>
    {
        using (socket)
        await using (var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false)))
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificates.Server,
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = certificates.Validation,
            });
            using var echo = await Tcp.ConnectAsync(echoPort, CancellationToken.None);
            await using var plain = new NetworkStream(echo, ownsSocket: false);
            await Splice.RunAsync(ssl, () => ssl.ShutdownAsync(), plain, () => Tcp.ShutdownSendAsync(echo));
        }
    });

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await Quietly(_accepting);
        await Task.WhenAll(_connections.Keys.Select(Quietly));
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            var socket = await _listener.AcceptSocketAsync();
            socket.NoDelay = true;
            var connection = Task.Run(() => _handle(socket));
            _connections[connection] = true;
            _ = connection.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or AuthenticationException or OperationCanceledException)
        {
            // A connection cut short, or the listener stopped.
        }
    }
}

/// <summary>Loopback TCP with Nagle off (every path gets the same socket settings).</summary>
public static class Tcp
{
    public static async Task<Socket> ConnectAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static Task ShutdownSendAsync(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits until something listens on the port (a proxy that was just started).</summary>
    public static async Task WaitListeningAsync(int port, TimeSpan within, Func<bool> exited, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (exited())
            {
                throw new InvalidOperationException($"{what} exited during start");
            }

            try
            {
                using var probe = await ConnectAsync(port, ct);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, ct);
            }
        }
    }
}

/// <summary>
/// Pipes two streams into each other, 64 KiB at a time, passing an end of stream on (half-close) — what an agent
/// does between its relay stream and the local TCP connection. An error on either side ends both.
/// </summary>
public static class Splice
{
    public const int BufferSize = 64 * 1024;

    public static async Task RunAsync(Stream a, Func<Task> endOfA, Stream b, Func<Task> endOfB)
    {
        var ab = CopyAsync(a, b, endOfB);
        var ba = CopyAsync(b, a, endOfA);
        var first = await Task.WhenAny(ab, ba);
        if (!first.IsCompletedSuccessfully)
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }

        await Task.WhenAll(Quietly(ab), Quietly(ba));
    }

    private static async Task CopyAsync(Stream from, Stream to, Func<Task> end)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer.AsMemory(0, BufferSize))) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read));
            }

            await end();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or WebSocketException or OperationCanceledException)
        {
            // The other side is gone; this direction just stops.
        }
    }
}
