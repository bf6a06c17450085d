using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace AspService.Tests.Agent;

/// <summary>What one run of the agent printed and returned.</summary>
public sealed record AgentRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The one JSON object a --json run prints on stdout.</summary>
    public JsonObject Json => JsonNode.Parse(Stdout)?.AsObject() ?? throw new InvalidOperationException("no JSON on stdout: " + this);

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>
/// Runs the real <c>aspagent.dll</c> (copied into the test output by the project reference) as a process,
/// with a clean environment: no ASPAGENT_HOME, no locale variables, HOME and XDG_CONFIG_HOME pointing at
/// nothing real, unless a test sets them.
/// </summary>
public static class AgentProcess
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static readonly string[] Cleared = ["ASPAGENT_HOME", "LC_ALL", "LC_MESSAGES", "LANG", "XDG_CONFIG_HOME", "HOME"];

    public static Task<AgentRun> RunAsync(params string[] args) => RunAsync(args, null);

    public static async Task<AgentRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = StartInfo(args, environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"aspagent {string.Join(' ', args)} did not finish within {Timeout}");
        }

        return new AgentRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>How the agent is started: the test's dotnet host, aspagent.dll, a clean environment.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "aspagent.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in Cleared)
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = Path.Combine(Path.GetTempPath(), "aspagent-no-home-" + Guid.NewGuid().ToString("N"));
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>The dotnet host running the tests (set by the SDK), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
