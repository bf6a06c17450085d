using AspService.Benchmarks.Onboarding;

namespace AspService.Benchmarks.Infrastructure;

/// <summary>A benchmark run's temp folder (data, server log) and the server settings every benchmark uses.</summary>
public sealed record BenchWorkspace(string Root, string DataRoot, string LogFile)
{
    public static BenchWorkspace Create(string kind, BenchProvider provider, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var root = Path.Combine(Path.GetTempPath(), $"aspsvc-{kind}-{provider.ToString().ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}");
        var workspace = new BenchWorkspace(root, Path.Combine(root, "data"), Path.Combine(root, "server.log"));
        Directory.CreateDirectory(workspace.DataRoot);
        output.WriteLine($"== {provider}: temp folder {root}");
        return workspace;
    }

    /// <summary>The server's settings for a benchmark: this folder, rate limits out of the way, the given roles.</summary>
    public Dictionary<string, string> Environment(string roles) => new(StringComparer.Ordinal)
    {
        ["Database__DataRoot"] = DataRoot,
        ["Server__Roles"] = roles,
        ["Server__MigrateCatalogOnStart"] = "true",
        ["RateLimits__AuthPerClientPerMinute"] = "100000",
        ["RateLimits__AuthPerAccountPerMinute"] = "100000",
        ["RateLimits__SignupsPerClientPerHour"] = "100000",
        ["DataProtection__KeysPath"] = Path.Combine(DataRoot, "keys"),
        ["DOTNET_NOLOGO"] = "1",
    };
}

/// <summary>A token that Ctrl+C cancels (instead of killing the process), so servers and temp folders are cleaned up.</summary>
public sealed class CtrlC : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();

    public CtrlC() => Console.CancelKeyPress += OnCancel;

    public CancellationToken Token => _cancel.Token;

    public bool IsCancellationRequested => _cancel.IsCancellationRequested;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _cancel.Dispose();
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        _cancel.Cancel();
    }
}

/// <summary>Runs a benchmark once per provider, in turn; Ctrl+C cancels cleanly.</summary>
public static class BenchCommand
{
    /// <summary>The results, or null when a run failed or was cancelled (the reason is on stderr).</summary>
    public static async Task<List<T>?> RunProvidersAsync<T>(IReadOnlyList<BenchProvider> providers, Func<BenchProvider, CancellationToken, Task<T>> run, Action<T>? each = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(run);
        using var cancel = new CtrlC();
        var results = new List<T>();
        foreach (var provider in providers)
        {
            try
            {
                var result = await run(provider, cancel.Token);
                results.Add(result);
                each?.Invoke(result);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("cancelled; the server and the temp folders were cleaned up");
                return null;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException or System.Data.Common.DbException or Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                await Console.Error.WriteLineAsync($"error: {provider}: {ex.Message}");
                return null;
            }
        }

        return results;
    }
}
