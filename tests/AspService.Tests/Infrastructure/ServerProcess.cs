using System.Diagnostics;

namespace AspService.Tests.Infrastructure;

/// <summary>The real server executable as a child process (for tests that kill or restart a node).</summary>
public static class ServerProcess
{
    /// <summary>Starts the server with <paramref name="settings"/> (`--Key=value` or `--urls value` pairs); output is drained.</summary>
    public static Process Start(IEnumerable<string> settings)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AspService.Server.dll"));
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("server did not start");
        // Drain output so the process never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
