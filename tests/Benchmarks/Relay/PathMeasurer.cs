using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using AspService.Benchmarks.Infrastructure;

namespace AspService.Benchmarks.Relay;

/// <summary>What one path measured. CPU and memory of "middle" are the proxy processes; "own" is this process (clients, echo, stand-ins).</summary>
public sealed record PathFigures(
    string Name,
    string Route,
    int TlsHops,
    double SetupP50Ms,
    double SetupMaxMs,
    long BulkBytes,
    TimeSpan BulkTime,
    TimeSpan BulkMiddleCpu,
    TimeSpan BulkOwnCpu,
    double RttP50Us,
    double RttP99Us,
    double SwitchesPerRoundTrip,
    int Sessions,
    long SessionBytes,
    TimeSpan ConcurrentTime,
    TimeSpan ConcurrentMiddleCpu,
    TimeSpan ConcurrentOwnCpu,
    long MiddleRssBefore,
    long MiddleRssOpen,
    long MiddlePeak,
    bool PeakIsPhaseOnly,
    int Errors,
    string? FirstError)
{
    private const double Mib = 1024 * 1024;
    private const double Gib = 1024 * Mib;

    public double BulkMibPerSecond => BulkBytes / Mib / BulkTime.TotalSeconds;

    /// <summary>CPU seconds per GiB carried, both directions counted (an echo carries every byte twice).</summary>
    public double BulkMiddleCpuPerGib => BulkMiddleCpu.TotalSeconds / (2 * BulkBytes / Gib);

    public double BulkAllCpuPerGib => (BulkMiddleCpu + BulkOwnCpu).TotalSeconds / (2 * BulkBytes / Gib);

    public double ConcurrentMibPerSecond => (Sessions - Errors) * SessionBytes / Mib / ConcurrentTime.TotalSeconds;

    public double ConcurrentMiddleCpuPerGib => ConcurrentMiddleCpu.TotalSeconds / (2.0 * (Sessions - Errors) * SessionBytes / Gib);

    /// <summary>Middle's resident memory per open, idle session (open minus before, over the sessions).</summary>
    public double MiddleBytesPerSession => (MiddleRssOpen - MiddleRssBefore) / (double)Math.Max(1, Sessions - Errors);
}

/// <summary>
/// Runs the same measurements over every path: sequential setups, one bulk echo stream, round trips of one small
/// message, then many concurrent sessions. Every echoed byte is compared with what was sent.
/// </summary>
public sealed class PathMeasurer(RelayBenchOptions options, TextWriter output)
{
    private const int Chunk = 64 * 1024;
    private const int PatternLength = 1024 * 1024;
    private const int Warmups = 200;

    // Random bytes (nothing compresses), with the first chunk repeated at the end so any slice of a chunk is contiguous.
    private static readonly byte[] Pattern = MakePattern();

    public async Task<PathFigures> MeasureAsync(BenchPath path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        output.WriteLine($"-- {path.Name}: {path.Route}");

        // Warm-up: JIT on every side, first handshakes, pools.
        for (var i = 0; i < 3; i++)
        {
            var (warm, _) = await OpenReadyAsync(path, ct);
            await using (warm)
            {
                await EchoAsync(warm, 4 * 1024 * 1024, ct);
            }
        }

        await SettleAsync(path, ct);
        path.Breakdown?.Reset();
        var setups = new double[options.Setups];
        for (var i = 0; i < setups.Length; i++)
        {
            var (stream, setup) = await OpenReadyAsync(path, ct);
            await stream.DisposeAsync();
            setups[i] = setup.TotalMilliseconds;
        }

        Array.Sort(setups);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   setup (open, first byte echoed), {setups.Length} in a row: p50 {Percentile(setups, 0.5):0.0} ms, max {setups[^1]:0.0} ms"));
        if (path.Breakdown is { } breakdown)
        {
            output.WriteLine("   setup, of which: " + await breakdown.DescribeAsync(ct));
        }

        var (bulkTime, bulkMiddle, bulkOwn) = await BulkAsync(path, (long)options.BulkMib * 1024 * 1024, ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   one stream, {options.BulkMib} MiB echoed: {bulkTime.TotalSeconds:0.00} s = {options.BulkMib / bulkTime.TotalSeconds:0} MiB/s each way; CPU middle {bulkMiddle.TotalSeconds:0.00} s, this process {bulkOwn.TotalSeconds:0.00} s"));

        var (p50, p99, switches) = await RoundTripsAsync(path, ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   {options.RoundTrips} round trips of {options.MessageBytes} B: p50 {p50:0} µs, p99 {p99:0} µs; middle context switches per round trip {switches:0.0}"));

        var figures = await ConcurrentAsync(path, setups, bulkTime, bulkMiddle, bulkOwn, (p50, p99, switches), ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   {figures.Sessions} sessions x {options.SessionMib} MiB: {figures.ConcurrentTime.TotalSeconds:0.00} s = {figures.ConcurrentMibPerSecond:0} MiB/s each way in all; "
            + $"CPU middle {figures.ConcurrentMiddleCpu.TotalSeconds:0.00} s, this process {figures.ConcurrentOwnCpu.TotalSeconds:0.00} s; "
            + $"middle RSS {Mib(figures.MiddleRssBefore)} before, {Mib(figures.MiddleRssOpen)} with the sessions open, peak {Mib(figures.MiddlePeak)}; errors {figures.Errors}"));
        if (figures.FirstError is not null)
        {
            output.WriteLine("   first error: " + figures.FirstError);
        }

        return figures;
    }

    /// <summary>
    /// Waits until the middle processes are nearly idle (under 3 % of a core over a second, at most 90 s). The server
    /// keeps recompiling hot methods at tier 1 on a background thread for a while after start-up and after the
    /// warm-up; measured then, that JIT time would be counted as relay CPU.
    /// </summary>
    private async Task SettleAsync(BenchPath path, CancellationToken ct)
    {
        var middle = path.Middle();
        if (middle.Count == 0)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var before = Cpu(middle);
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var now = Cpu(middle);
            if (now - before < TimeSpan.FromMilliseconds(30))
            {
                break;
            }

            before = now;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   middle idle after the warm-up: waited {clock.Elapsed.TotalSeconds:0} s"));
    }

    public static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " MiB";

    private static async Task<(TimeSpan Time, TimeSpan Middle, TimeSpan Own)> BulkAsync(BenchPath path, long bytes, CancellationToken ct)
    {
        var (stream, _) = await OpenReadyAsync(path, ct);
        await using (stream)
        {
            var middle = path.Middle();
            var (middleBefore, ownBefore) = (Cpu(middle), ProcStats.CpuTime(Environment.ProcessId));
            var clock = Stopwatch.StartNew();
            await EchoAsync(stream, bytes, ct);
            var time = clock.Elapsed;
            return (time, Cpu(middle) - middleBefore, ProcStats.CpuTime(Environment.ProcessId) - ownBefore);
        }
    }

    private async Task<(double P50, double P99, double Switches)> RoundTripsAsync(BenchPath path, CancellationToken ct)
    {
        var (stream, _) = await OpenReadyAsync(path, ct);
        await using (stream)
        {
            var middle = path.Middle();
            var switchesBefore = 0L;
            var message = Pattern.AsMemory(0, options.MessageBytes);
            var back = new byte[options.MessageBytes];
            var samples = new double[options.RoundTrips];
            for (var i = -Warmups; i < samples.Length; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await stream.WriteAsync(message, ct);
                await stream.ReadExactlyAsync(back, ct);
                if (i >= 0)
                {
                    samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
                else if (i == -1)
                {
                    switchesBefore = middle.Sum(ProcStats.ContextSwitches);
                }
            }

            var switches = (middle.Sum(ProcStats.ContextSwitches) - switchesBefore) / (double)samples.Length;

            if (!back.AsSpan().SequenceEqual(message.Span))
            {
                throw new InvalidDataException($"{path.Name}: the echoed message differs from the one sent");
            }

            Array.Sort(samples);
            return (Percentile(samples, 0.5), Percentile(samples, 0.99), switches);
        }
    }

    private async Task<PathFigures> ConcurrentAsync(BenchPath path, double[] setups, TimeSpan bulkTime, TimeSpan bulkMiddle, TimeSpan bulkOwn,
        (double P50, double P99, double Switches) rtt, CancellationToken ct)
    {
        var sessionBytes = (long)options.SessionMib * 1024 * 1024;
        var middle = path.Middle();
        // Let sessions of the earlier phases finish closing before the baseline is read.
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var rssBefore = middle.Sum(pid => ProcStats.Memory(pid).Current);
        var peakReset = middle.All(ProcStats.ResetPeak);
        var errors = 0;
        string? firstError = null;
        void Failed(Exception ex)
        {
            Interlocked.Increment(ref errors);
            Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
        }

        var opened = await Task.WhenAll(Enumerable.Range(0, options.Sessions).Select(async _ =>
        {
            try
            {
                return (await OpenReadyAsync(path, ct)).Stream;
            }
            catch (Exception ex) when (IsTransport(ex))
            {
                Failed(ex);
                return null;
            }
        }));
        var streams = opened.OfType<Stream>().ToList();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var rssOpen = middle.Sum(pid => ProcStats.Memory(pid).Current);
            var (middleBefore, ownBefore) = (Cpu(middle), ProcStats.CpuTime(Environment.ProcessId));
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(streams.Select(async stream =>
            {
                try
                {
                    await EchoAsync(stream, sessionBytes, ct);
                }
                catch (Exception ex) when (IsTransport(ex))
                {
                    Failed(ex);
                }
            }));
            var time = clock.Elapsed;
            var (middleCpu, ownCpu) = (Cpu(middle) - middleBefore, ProcStats.CpuTime(Environment.ProcessId) - ownBefore);
            var peak = middle.Sum(pid => ProcStats.Memory(pid).Peak);
            return new PathFigures(path.Name, path.Route, path.TlsHops, Percentile(setups, 0.5), setups[^1],
                (long)options.BulkMib * 1024 * 1024, bulkTime, bulkMiddle, bulkOwn, rtt.P50, rtt.P99, rtt.Switches,
                options.Sessions, sessionBytes, time, middleCpu, ownCpu, rssBefore, rssOpen, peak, peakReset, errors, firstError);
        }
        finally
        {
            await Task.WhenAll(streams.Select(async s => await s.DisposeAsync()));
        }
    }

    /// <summary>Opens the path and echoes one byte, so the stream is known to work end to end; returns the time that took.</summary>
    private static async Task<(Stream Stream, TimeSpan Setup)> OpenReadyAsync(BenchPath path, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var stream = await path.OpenAsync(ct);
        try
        {
            await stream.WriteAsync(Pattern.AsMemory(0, 1), ct);
            var one = new byte[1];
            await stream.ReadExactlyAsync(one, ct);
            return one[0] == Pattern[0]
                ? (stream, Stopwatch.GetElapsedTime(start))
                : throw new InvalidDataException($"{path.Name}: the first byte came back changed");
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes <paramref name="total"/> bytes in 64 KiB writes while reading them back, checking each byte.</summary>
    private static async Task EchoAsync(Stream stream, long total, CancellationToken ct)
    {
        var writer = Task.Run(async () =>
        {
            for (long sent = 0; sent < total;)
            {
                var count = (int)Math.Min(Chunk, total - sent);
                await stream.WriteAsync(Pattern.AsMemory((int)(sent % PatternLength), count), ct);
                sent += count;
            }
        }, ct);
        var buffer = new byte[Chunk];
        for (long received = 0; received < total;)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(Chunk, total - received)), ct);
            if (read == 0)
            {
                throw new EndOfStreamException($"the echo ended after {received} of {total} bytes");
            }

            if (!buffer.AsSpan(0, read).SequenceEqual(Pattern.AsSpan((int)(received % PatternLength), read)))
            {
                throw new InvalidDataException($"echoed bytes differ from those sent near offset {received}");
            }

            received += read;
        }

        await writer;
    }

    private static TimeSpan Cpu(IReadOnlyList<int> pids) => pids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + ProcStats.CpuTime(pid));

    public static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static bool IsTransport(Exception ex) => ex is IOException or InvalidDataException or SocketException or WebSocketException or AuthenticationException
        or InvalidOperationException or HttpRequestException or TimeoutException;

    private static byte[] MakePattern()
    {
        var pattern = new byte[PatternLength + Chunk];
        RandomNumberGenerator.Fill(pattern.AsSpan(0, PatternLength));
        pattern.AsSpan(0, Chunk).CopyTo(pattern.AsSpan(PatternLength));
        return pattern;
    }
}
