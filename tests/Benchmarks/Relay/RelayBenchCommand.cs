using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using AspService.Benchmarks.Infrastructure;
using AspService.Benchmarks.Onboarding;

namespace AspService.Benchmarks.Relay;

/// <summary>
/// The <c>relay</c> command: our relay next to stunnel and nginx's stream proxy, in one run, over the same echo
/// service and the same client code. Prints figures per path and a markdown table; asserts nothing.
/// </summary>
public static class RelayBenchCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Any(a => a is "--help" or "-h"))
        {
            output.WriteLine(RelayBenchOptions.Usage);
            return 0;
        }

        RelayBenchOptions options;
        try
        {
            options = RelayBenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return 2;
        }

        using var cancel = new CtrlC();
        try
        {
            var (figures, idle) = await new Run(options, output).ExecuteAsync(cancel.Token);
            PrintTable(options, figures, idle, output);
            return 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled; the server, the proxies and the temp folder were cleaned up");
            return 1;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException or InvalidDataException
            or SocketException or WebSocketException or AuthenticationException)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return 1;
        }
    }

    private sealed class Run(RelayBenchOptions options, TextWriter output)
    {
        public async Task<(List<PathFigures> Figures, IdleControlFigures? Idle)> ExecuteAsync(CancellationToken ct)
        {
            var wanted = options.Paths;
            var stunnel = StunnelPair.Program;
            var (nginx, module) = (NginxProxy.Program, NginxProxy.StreamModule);
            var skipped = new List<string>();
            if (stunnel is null)
            {
                skipped.AddRange(wanted.Where(p => p is "stunnel" or "stunnel-nginx"));
                output.WriteLine("stunnel not installed: skipping its paths (apt-get install -y stunnel4)");
            }

            if (nginx is null || module is null)
            {
                skipped.AddRange(wanted.Where(p => p is "nginx" or "nginx-2hop" or "stunnel-nginx"));
                output.WriteLine("nginx or its stream module not installed: skipping its paths (apt-get install -y nginx libnginx-mod-stream)");
            }

            var paths = wanted.Except(skipped).ToList();
            output.WriteLine($"Relay benchmark: {string.Join(", ", paths)}; {Environment.ProcessorCount} cores; {Machine.Describe()}");
            output.WriteLine($"load average at start: {Machine.LoadAverage()}");

            var serverDir = paths.Contains("relay") || paths.Contains("relay-tunnel") ? ServerProcess.Directory(options.ServerDirectory) : null;
            var workspace = BenchWorkspace.Create("relay", BenchProvider.Sqlite, output);
            var proxies = Path.Combine(workspace.Root, "proxies");
            var disposables = new Stack<IAsyncDisposable>();
            try
            {
                var echo = LoopbackService.Echo();
                disposables.Push(echo);
                using var certificates = BenchCertificates.Create(proxies);
                var byName = new Dictionary<string, BenchPath>(StringComparer.Ordinal)
                {
                    ["direct"] = new("direct", "TCP → echo", 0, BenchPath.PlainTo(echo.Port), () => []),
                };

                RelayRig? relay = null;
                if (serverDir is not null)
                {
                    var staff = (options.Sessions + RelayRig.SessionsPerUser - 1) / RelayRig.SessionsPerUser;
                    relay = await RelayRig.StartAsync(serverDir, workspace, options.ServerSettings, staff, echo.Port, output, ct);
                    disposables.Push(relay);
                    byName["relay"] = new("relay", "home → WSS (mTLS) → relay → WSS (mTLS) → office → TCP echo", 2, relay.OpenAsync, () => [relay.Server.Id], relay);
                    byName["relay-tunnel"] = new("relay-tunnel", "home → TLS tunnel (mTLS) → relay → TLS tunnel (mTLS) → office → TCP echo", 2, relay.OpenTunnelAsync,
                        () => [relay.Server.Id], relay);
                }

                StunnelPair? pair = null;
                NginxProxy? proxy = null;
                var (stunnelServerPort, nginxChainPort) = (Ports.Free(), Ports.Free());
                if (paths.Any(p => p is "stunnel" or "stunnel-nginx"))
                {
                    pair = await StunnelPair.StartAsync(stunnel!, proxies, certificates, echo.Port, stunnelServerPort, nginxChainPort, ct);
                    disposables.Push(pair);
                    byName["stunnel"] = new("stunnel", "TCP → stunnel → TLS (mTLS) → stunnel → TCP echo", 1, BenchPath.PlainTo(pair.PairPort),
                        () => [pair.Client.Id, pair.Server.Id]);
                }

                if (paths.Any(p => p is "nginx" or "nginx-2hop" or "stunnel-nginx"))
                {
                    var terminator = LoopbackService.TlsTerminator(certificates, echo.Port);
                    disposables.Push(terminator);
                    proxy = await NginxProxy.StartAsync(nginx!, module!, proxies, certificates, echo.Port, terminator.Port, nginxChainPort, stunnelServerPort, ct);
                    disposables.Push(proxy);
                    byName["nginx"] = new("nginx", "TLS (mTLS) → nginx → TCP echo", 1, BenchPath.TlsTo(proxy.PlainPort, certificates), proxy.Process.Tree);
                    byName["nginx-2hop"] = new("nginx-2hop", "TLS (mTLS) → nginx → TLS (mTLS) → TLS stand-in → TCP echo", 2,
                        BenchPath.TlsTo(proxy.TlsPort, certificates), proxy.Process.Tree);
                    if (pair is not null)
                    {
                        byName["stunnel-nginx"] = new("stunnel-nginx", "TCP → stunnel → TLS (mTLS) → nginx → TLS (mTLS) → stunnel → TCP echo", 2,
                            BenchPath.PlainTo(pair.ChainPort), () => [pair.Client.Id, pair.Server.Id, .. proxy.Process.Tree()]);
                    }
                }

                var measurer = new PathMeasurer(options, output);
                var figures = new List<PathFigures>();
                foreach (var name in paths)
                {
                    figures.Add(await measurer.MeasureAsync(byName[name], ct));
                    output.WriteLine($"   load average: {Machine.LoadAverage()}");
                }

                if (relay is not null && relay.OfficeFailures > 0)
                {
                    output.WriteLine($"   relay: the office stand-in failed to answer {relay.OfficeFailures} session offers");
                }

                IdleControlFigures? idle = null;
                if (relay is not null && options.IdleControls > 0)
                {
                    idle = await relay.IdleControlsAsync(options.IdleControls, TimeSpan.FromSeconds(options.HoldSeconds), output, ct);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"   relay: {idle.Connections} idle control connections opened in {idle.ConnectTime.TotalSeconds:0.0} s; server RSS {PathMeasurer.Mib(idle.RssBefore)} → {PathMeasurer.Mib(idle.RssHalf)} (half) → {PathMeasurer.Mib(idle.RssAfter)} = {idle.BytesPerConnection / 1024:0} KiB each on average, {idle.BytesPerConnectionSecondHalf / 1024:0} KiB each over the second half"));
                }

                output.WriteLine($"load average at the end: {Machine.LoadAverage()}");
                return (figures, idle);
            }
            finally
            {
                output.WriteLine(options.Keep ? $"   stopping; kept {workspace.Root}" : "   stopping and removing the temp folder…");
                while (disposables.TryPop(out var disposable))
                {
                    await disposable.DisposeAsync();
                }

                if (!options.Keep)
                {
                    Directory.Delete(workspace.Root, recursive: true);
                }
            }
        }
    }

    private static void PrintTable(RelayBenchOptions options, List<PathFigures> figures, IdleControlFigures? idle, TextWriter output)
    {
        var date = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var sessions = $"{options.Sessions} × {options.SessionMib} MiB";
        output.WriteLine();
        output.WriteLine($"{date} (UTC); one stream: {options.BulkMib} MiB echoed; latency: {options.RoundTrips:N0} round trips of {options.MessageBytes} B; concurrency: {sessions}");
        output.WriteLine();
        output.WriteLine($"| Path | TLS hops | Setup p50 | 1 stream, MiB/s each way | CPU s/GiB middle / all | {options.MessageBytes} B round trip p50 / p99 | {sessions}: MiB/s each way in all | CPU middle / all | Middle peak RSS | Errors |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in figures)
        {
            var middle = f.Name == "direct";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {f.Name} | {f.TlsHops} | {f.SetupP50Ms:0.0} ms | {f.BulkMibPerSecond:0} | {(middle ? "–" : f.BulkMiddleCpuPerGib.ToString("0.00", CultureInfo.InvariantCulture))} / {f.BulkAllCpuPerGib:0.00} "
                + $"| {f.RttP50Us:0} / {f.RttP99Us:0} µs | {f.ConcurrentMibPerSecond:0} | {(middle ? "–" : f.ConcurrentMiddleCpu.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s")} / {(f.ConcurrentMiddleCpu + f.ConcurrentOwnCpu).TotalSeconds:0.0} s "
                + $"| {(middle ? "–" : PathMeasurer.Mib(f.MiddlePeak) + (f.PeakIsPhaseOnly ? "" : " (whole run)"))} | {f.Errors} |"));
        }

        output.WriteLine();
        foreach (var f in figures.Where(f => f.Name == "relay"))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"relay memory per open session (RSS with {f.Sessions - f.Errors} sessions open and idle, minus before): {f.MiddleBytesPerSession / 1024:0} KiB"));
        }

        if (idle is not null)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"relay memory per idle office control connection ({idle.Connections:N0} connections): {idle.BytesPerConnection / 1024:0} KiB on average, {idle.BytesPerConnectionSecondHalf / 1024:0} KiB over the second half"));
        }
    }
}

/// <summary>What the report says about the machine and its load.</summary>
public static class Machine
{
    public static string Describe()
    {
        var cpu = Read("/proc/cpuinfo").Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memory = Read("/proc/meminfo").Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var gib = long.TryParse(memory, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? (kb / 1024.0 / 1024).ToString("0", CultureInfo.InvariantCulture) + " GiB" : "?";
        var os = Read("/etc/os-release").Split('\n').FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? "?";
        return $"{cpu}, {gib} RAM, {os}, {RuntimeInformation.FrameworkDescription}";
    }

    /// <summary>The 1-, 5- and 15-minute load averages, as <c>uptime</c> shows them.</summary>
    public static string LoadAverage() => string.Join(' ', Read("/proc/loadavg").Split(' ').Take(3));

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
