using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;

namespace AspService.Agent.Relay;

/// <summary>How a bridged session ended, and the bytes that crossed each way.</summary>
/// <param name="ToRelay">Bytes read from the local TCP connection and sent to the relay.</param>
/// <param name="FromRelay">Bytes received from the relay and written to the local TCP connection.</param>
/// <param name="LocalClosedFirst">True when the local side (mstsc / the RDP server) finished first, false when the relay did.</param>
public sealed record BridgeResult(long ToRelay, long FromRelay, bool LocalClosedFirst, bool Aborted);

/// <summary>
/// Pipes a relay data stream (<see cref="RelayLink"/>: tunnel or WebSocket) and a local TCP connection into each
/// other with back-pressure: each direction owns one fixed buffer and reads again only after the previous chunk was
/// written, so a slow side slows the other and nothing queues without bound. An end is passed on (TCP end of stream →
/// the relay stream's half-close; its end → TCP shutdown of sending); the other direction may then drain for a bounded time.
/// </summary>
public sealed class ByteBridge(TimeProvider time, TimeSpan linger)
{
    public const int ChunkSize = 64 * 1024;

    private const int LocalSide = 1;
    private const int RelaySide = 2;

    private long _toRelay;
    private long _fromRelay;
    private int _firstEnded; // Which side ended or failed first: the other side's failure that follows is only its echo.

    public long ToRelay => Interlocked.Read(ref _toRelay);

    public long FromRelay => Interlocked.Read(ref _fromRelay);

    /// <summary>
    /// Runs until both directions ended (or one failed). <paramref name="stop"/> is a graceful stop (Ctrl-C): the
    /// local side stops being read, the relay gets a close frame and has <c>linger</c> to answer with its own.
    /// </summary>
    public async Task<BridgeResult> RunAsync(RelayLink relay, Socket local, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(local);

        // Cancelling a pending WebSocket operation aborts the socket, so graceful stops never cancel one: they stop
        // the local reads only, and `abort` is for the end.
        using var abort = new CancellationTokenSource();
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(stop, abort.Token);
        var up = LocalToRelayAsync(local, relay, stopReading.Token, abort.Token);
        var down = RelayToLocalAsync(relay, local, abort.Token);
        var first = await Task.WhenAny(up, down).ConfigureAwait(false);
        var aborted = !first.IsCompletedSuccessfully;
        if (!aborted)
        {
            var other = first == up ? down : up;
            using var wait = new CancellationTokenSource();
            var delay = Task.Delay(linger, time, wait.Token);
            aborted = await Task.WhenAny(other, delay).ConfigureAwait(false) == delay || !other.IsCompletedSuccessfully;
            await wait.CancelAsync().ConfigureAwait(false);
        }

        await abort.CancelAsync().ConfigureAwait(false);
        await Quietly(up).ConfigureAwait(false);
        await Quietly(down).ConfigureAwait(false);
        if (aborted)
        {
            relay.Abort();
        }

        Close(local);
        return new BridgeResult(ToRelay, FromRelay, Volatile.Read(ref _firstEnded) == LocalSide, aborted);
    }

    private async Task LocalToRelayAsync(Socket local, RelayLink relay, CancellationToken stopReading, CancellationToken abort)
    {
        var buffer = new byte[ChunkSize];
        while (true)
        {
            int read;
            try
            {
                read = await local.ReceiveAsync(buffer, SocketFlags.None, stopReading).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!abort.IsCancellationRequested)
            {
                read = 0; // A graceful stop ends this side like the local end of stream.
            }
            catch (Exception) when (Ended(LocalSide))
            {
                throw; // Never entered: the filter only records the side.
            }

            if (read == 0)
            {
                Ended(LocalSide);
                await relay.HalfCloseAsync(abort).ConfigureAwait(false);
                return;
            }

            // A write that fails because the relay cut the session is the relay's end, not the local side's.
            try
            {
                await relay.Stream.WriteAsync(buffer.AsMemory(0, read), abort).ConfigureAwait(false);
            }
            catch (Exception) when (Ended(RelaySide))
            {
                throw;
            }

            Interlocked.Add(ref _toRelay, read);
        }
    }

    private async Task RelayToLocalAsync(RelayLink relay, Socket local, CancellationToken abort)
    {
        var buffer = new byte[ChunkSize];
        while (true)
        {
            int count;
            try
            {
                count = await relay.Stream.ReadAsync(buffer.AsMemory(), abort).ConfigureAwait(false);
            }
            catch (Exception) when (Ended(RelaySide))
            {
                throw;
            }

            if (count == 0)
            {
                Ended(RelaySide);
                ShutdownSend(local);
                return;
            }

            var sent = 0;
            try
            {
                while (sent < count)
                {
                    sent += await local.SendAsync(buffer.AsMemory(sent, count - sent), SocketFlags.None, abort).ConfigureAwait(false);
                }
            }
            catch (Exception) when (Ended(LocalSide))
            {
                throw;
            }

            Interlocked.Add(ref _fromRelay, count);
        }
    }

    /// <summary>Records <paramref name="side"/> as the first to end unless one already was; false, to use as a filter.</summary>
    private bool Ended(int side)
    {
        Interlocked.CompareExchange(ref _firstEnded, side, 0);
        return false;
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or SocketException or ObjectDisposedException or IOException
            or InvalidOperationException or AuthenticationException)
        {
            // The session is over; this direction just stops.
        }
    }

    private static void ShutdownSend(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private static void Close(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        socket.Dispose();
    }
}
