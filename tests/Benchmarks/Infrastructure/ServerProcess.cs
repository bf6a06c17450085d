using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace AspService.Benchmarks.Infrastructure;

/// <summary>
/// The real server executable (build output of src/AspService.Server) running as its own process, so its
/// memory is measured alone and nothing of the benchmark shares its runtime.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(Process process, StreamWriter log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Folder with the server's build output: --server, else the one this tool was built next to.</summary>
    public static string Directory(string? given)
    {
        var dir = given ?? typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ServerDirectory")?.Value
            ?? throw new InvalidOperationException("server directory unknown; pass --server");
        if (!File.Exists(Path.Combine(dir, "AspService.Server.dll")))
        {
            throw new InvalidOperationException($"AspService.Server.dll not found in {dir}; build src/AspService.Server or pass --server");
        }

        return dir;
    }

    public static async Task<ServerProcess> StartAsync(string serverDir, IReadOnlyDictionary<string, string> environment, string logFile, CancellationToken ct)
    {
        var port = Ports.Free();
        var url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var psi = StartInfo(serverDir, environment, ["--urls", url.ToString().TrimEnd('/')]);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        var log = new StreamWriter(logFile) { AutoFlush = true };
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("server did not start");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, log, url);
        try
        {
            await server.WaitUntilAliveAsync(logFile, ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one administrative command of the same executable with the same settings.</summary>
    public static Task<string> RunCommandAsync(string serverDir, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var psi = StartInfo(serverDir, environment, arguments);
        return ProcessRunner.RunAsync(psi.FileName, [.. psi.ArgumentList], ct, environment, serverDir);
    }

    /// <summary>Peak (VmHWM) and current (VmRSS) resident memory in bytes, from /proc.</summary>
    public (long Peak, long Current) Memory() => ProcStats.Memory(_process.Id);

    /// <summary>CPU time the server has used so far (user + system), from /proc; less noisy than wall time on a shared machine.</summary>
    public TimeSpan CpuTime() => ProcStats.CpuTime(_process.Id);

    public async ValueTask DisposeAsync()
    {
        // SIGTERM first so the host shuts down cleanly (closes database files), then the hard way.
        await ProcessRunner.TerminateAsync(_process, TimeSpan.FromSeconds(20));
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private async Task WaitUntilAliveAsync(string logFile, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"server exited with {_process.ExitCode} during start; see {logFile}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Listening but slow to answer (a loaded machine): ask again until the deadline.
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"server did not answer /healthz within 120 s; see {logFile}");
    }

    private static ProcessStartInfo StartInfo(string serverDir, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        // The apphost where it exists; otherwise the muxer with the dll. Either way the measured PID is the server.
        var apphost = Path.Combine(serverDir, "AspService.Server");
        var psi = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(serverDir, "AspService.Server.dll") } };
        psi.UseShellExecute = false;
        psi.WorkingDirectory = serverDir;
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        return psi;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream is not null)
            {
                log.WriteLine(line);
            }
        }
    }
}
