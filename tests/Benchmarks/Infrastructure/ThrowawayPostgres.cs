using System.Diagnostics;
using Npgsql;

namespace AspService.Benchmarks.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for one benchmark run: initdb + pg_ctl on a free loopback port in a temp
/// folder, stopped and removed afterwards (the same approach as the test suite's fixture). As root, the
/// tools run as the postgres user because initdb refuses root.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _binDir;
    private readonly bool _asRoot;
    private readonly bool _keep;
    private bool _started;

    private ThrowawayPostgres(string dir, string binDir, bool keep)
    {
        _dir = dir;
        _binDir = binDir;
        _keep = keep;
        _asRoot = Environment.UserName == "root";
    }

    /// <summary>Server connection string (database <c>postgres</c>, superuser, trust auth on loopback).</summary>
    public string ServerConnectionString { get; private set; } = "";

    public string Directory => _dir;

    /// <summary>"fsync=off …" or "durable": what the report says about the cluster's settings.</summary>
    public string Settings { get; private set; } = "";

    public static async Task<ThrowawayPostgres> StartAsync(bool durable, bool keep, CancellationToken ct)
    {
        var binDir = FindBinDir() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql");
        var dir = Path.Combine(Path.GetTempPath(), "aspsvc-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(dir);
        var cluster = new ThrowawayPostgres(dir, binDir, keep);
        try
        {
            await cluster.InitAndStartAsync(durable, ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task InitAndStartAsync(bool durable, CancellationToken ct)
    {
        var data = Path.Combine(_dir, "data");
        var port = Ports.Free();
        if (_asRoot)
        {
            await ProcessRunner.RunAsync("chown", ["postgres:postgres", _dir], ct);
        }

        await RunPgAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], ct);
        // Room for the server's catalog pool plus bounded per-tenant pools; the default 100 is too few.
        var options = $"-p {port} -k {_dir} -c listen_addresses=127.0.0.1 -c max_connections=500 -c shared_buffers=128MB";
        if (!durable)
        {
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        Settings = durable ? "durable (fsync on)" : "fsync=off, synchronous_commit=off, full_page_writes=off";
        await RunPgAsync("pg_ctl", ["-D", data, "-l", Path.Combine(_dir, "log.txt"), "-o", options, "-w", "-t", "60", "start"], ct);
        _started = true;
        ServerConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=30;Command Timeout=300";
        await using var conn = new NpgsqlConnection(ServerConnectionString);
        await conn.OpenAsync(ct);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct)
    {
        await using (var conn = new NpgsqlConnection(ServerConnectionString))
        {
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ToString();
    }

    /// <summary>Total size and count of the databases whose names match a tenant database name.</summary>
    public async Task<(long Bytes, int Count)> TenantDatabaseSizeAsync(CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(ServerConnectionString);
        await conn.OpenAsync(ct);
        // Tenant databases are named t{code}_{8 hex}; templates and the catalog do not match.
        await using var cmd = new NpgsqlCommand(
            "SELECT COALESCE(SUM(pg_database_size(datname)), 0)::bigint, COUNT(*)::int FROM pg_database WHERE datname ~ '^t[0-9]{6}_[0-9a-f]{8}$'", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    /// <summary>Server sessions (backends) started so far, over all databases: each one is a process fork.</summary>
    public async Task<long> SessionsAsync(CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(ServerConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT COALESCE(SUM(sessions), 0)::bigint FROM pg_stat_database", conn);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (_started)
            {
                await RunPgAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], CancellationToken.None);
            }
        }
        finally
        {
            if (!_keep)
            {
                System.IO.Directory.Delete(_dir, recursive: true);
            }
        }
    }

    private Task<string> RunPgAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct) =>
        _asRoot
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_binDir, tool), .. arguments], ct)
            : ProcessRunner.RunAsync(Path.Combine(_binDir, tool), arguments, ct);

    private static string? FindBinDir()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return dir;
            }
        }

        return System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
    }
}

/// <summary>Runs a short external command and fails with its output when it exits non-zero.</summary>
public static class ProcessRunner
{
    /// <summary>Stops a child process by its id: SIGTERM so it can shut down cleanly, then the hard way after <paramref name="grace"/>.</summary>
    public static async Task TerminateAsync(Process process, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.HasExited)
        {
            return;
        }

        try
        {
            await RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], CancellationToken.None);
            using var wait = new CancellationTokenSource(grace);
            await process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken ct,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr} {await stdout}");
        }

        return await stdout;
    }
}

public static class Ports
{
    public static int Free()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
