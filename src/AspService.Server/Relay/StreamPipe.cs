using System.Buffers;

namespace AspService.Server.Relay;

/// <summary>Bytes that crossed a pipe, each way.</summary>
public sealed record PipeTotals(long HomeToOffice, long OfficeToHome);

/// <summary>
/// Pipes two byte streams into each other with back-pressure: each direction owns one fixed buffer and does
/// not read again before the previous chunk was written, so a slow side slows the other and nothing is
/// buffered without bound. The relay never parses what crosses (it is the RDP stream).
/// </summary>
public sealed class StreamPipe
{
    public const int ChunkSize = 32 * 1024;
    private long _homeToOffice;
    private long _officeToHome;

    /// <summary>Bytes so far (readable while the pipe runs, e.g. for live session lists).</summary>
    public PipeTotals Totals => new(Interlocked.Read(ref _homeToOffice), Interlocked.Read(ref _officeToHome));

    /// <summary>Last time a chunk crossed either way (for idle timeouts).</summary>
    public DateTimeOffset LastActivity { get; private set; }

    /// <summary>Runs until either side ends or <paramref name="ct"/> is cancelled; then both directions stop.</summary>
    public async Task<PipeTotals> RunAsync(Stream home, Stream office, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(office);
        ArgumentNullException.ThrowIfNull(time);
        LastActivity = time.GetUtcNow();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var up = CopyAsync(home, office, time, isUp: true, linked.Token);
        var down = CopyAsync(office, home, time, isUp: false, linked.Token);
        await Task.WhenAny(up, down);
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
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The other side ended the session; this direction just stops.
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
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), ct);
                if (isUp)
                {
                    Interlocked.Add(ref _homeToOffice, read);
                }
                else
                {
                    Interlocked.Add(ref _officeToHome, read);
                }

                LastActivity = time.GetUtcNow();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
