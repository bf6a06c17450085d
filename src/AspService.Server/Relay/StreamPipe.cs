using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;

namespace AspService.Server.Relay;

/// <summary>
/// Pipes two byte streams into each other with back-pressure: each direction owns one fixed buffer and does
/// not read again before the previous chunk was written, so a slow side slows the other and nothing is
/// buffered without bound. The relay never parses what crosses (it is the RDP stream).
/// When one side finishes sending, its end is passed on (half-close) and the other direction may drain for
/// at most <c>linger</c>; an error on either side ends both at once.
/// </summary>
public sealed class StreamPipe(TimeSpan? linger = null)
{
    public const int ChunkSize = 32 * 1024;
    private readonly TimeSpan _linger = linger ?? TimeSpan.FromSeconds(10);
    private long _homeToOffice;
    private long _officeToHome;

    /// <summary>Bytes so far (readable while the pipe runs, e.g. for live session lists).</summary>
    public PipeTotals Totals => new(Interlocked.Read(ref _homeToOffice), Interlocked.Read(ref _officeToHome));

    /// <summary>Last time a chunk crossed either way (for idle timeouts).</summary>
    public DateTimeOffset LastActivity { get; private set; }

    /// <summary>Which side stopped first (true = home), once one did; null while both run.</summary>
    public bool? HomeEndedFirst { get; private set; }

    /// <summary>Runs until both directions end, either side fails, or <paramref name="ct"/> is cancelled.</summary>
    public async Task<PipeTotals> RunAsync(Stream home, Stream office, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(office);
        ArgumentNullException.ThrowIfNull(time);
        LastActivity = time.GetUtcNow();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var up = CopyAsync(home, office, time, isUp: true, linked.Token);
        var down = CopyAsync(office, home, time, isUp: false, linked.Token);
        var first = await Task.WhenAny(up, down);
        HomeEndedFirst = first == up;
        if (first.IsCompletedSuccessfully)
        {
            // A clean end of one direction: let the other drain, but not forever.
            var other = first == up ? down : up;
            await Task.WhenAny(other, Task.Delay(_linger, time, linked.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        }

        await linked.CancelAsync();
        await Task.WhenAll(Quietly(up), Quietly(down));
        return Totals;
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        // NotSupportedException: a WebSocketStream written after its close was sent (a session ended by the relay while
        // the RDP server still draws) — found by the real RDP test; without it the session record stayed live.
        // InvalidOperationException: the same for the raw tunnel's SslStream written (or shut down again) after the relay
        // sent its close_notify.
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or SocketException or NotSupportedException
            or InvalidOperationException)
        {
            // The session is over; this direction just stops.
        }
    }

    private async Task CopyAsync(Stream from, Stream to, TimeProvider time, bool isUp, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer.AsMemory(0, ChunkSize), ct);
                if (read == 0)
                {
                    await to.FlushAsync(ct);
                    await HalfCloseAsync(to);
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), ct);
                Interlocked.Add(ref isUp ? ref _homeToOffice : ref _officeToHome, read);
                LastActivity = time.GetUtcNow();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Tells the other side that no more bytes will come, where the transport can say so.</summary>
    private static async Task HalfCloseAsync(Stream stream)
    {
        switch (stream)
        {
            case NetworkStream network:
                network.Socket.Shutdown(SocketShutdown.Send);
                break;
            case SslStream ssl:
                await ssl.ShutdownAsync();
                break;
            case System.Net.WebSockets.WebSocketStream web when web.WebSocket.State == System.Net.WebSockets.WebSocketState.Open:
                await web.WebSocket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                break;
        }
    }
}
