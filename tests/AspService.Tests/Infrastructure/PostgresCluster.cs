using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AspService.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the test run: initdb + pg_ctl on a free loopback port in a temp
/// folder, stopped and removed at the end. <c>ASPSERVICE_TEST_POSTGRES</c> (a server connection string)
/// uses an existing server instead.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private string? _dir;
    private string? _binDir;
    private string? _startArguments;

    public string ServerConnectionString { get; private set; } = "";

    /// <summary>One server host on this cluster shared by the PostgreSQL tests (each test uses fresh codes).</summary>
    public AppFactory App => _app ??= new AppFactory(AspService.Data.DatabaseProvider.PostgreSql, ServerConnectionString,
        CreateDatabaseAsync("aspsvc_catalog_" + Guid.NewGuid().ToString("N")[..8]).GetAwaiter().GetResult());

    private AppFactory? _app;

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("ASPSERVICE_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(given))
        {
            ServerConnectionString = given;
            return;
        }

        _binDir = FindBinDir() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql or set ASPSERVICE_TEST_POSTGRES");
        _dir = Path.Combine(Path.GetTempPath(), "aspsvc-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        var data = Path.Combine(_dir, "data");
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root: hand the folder to the postgres user and run as it.
            await RunAsync("chown", $"postgres:postgres {_dir}");
        }

        await RunPgAsync(asRoot, "initdb", $"-D {data} -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync");
        var options = $"-p {port} -k {_dir} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off " +
                      "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=128MB";
        _startArguments = $"-D {data} -l {_dir}/log.txt -o \"{options}\" -w -t 60 start";
        await RunPgAsync(asRoot, "pg_ctl", _startArguments);
        ServerConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=30;Command Timeout=120";
        await using var conn = new NpgsqlConnection(ServerConnectionString);
        await conn.OpenAsync();
    }

    public async Task DisposeAsync()
    {
        _app?.Dispose();
        if (_dir is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunPgAsync(Environment.UserName == "root", "pg_ctl", $"-D {Path.Combine(_dir, "data")} -m fast -w stop");
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>Fault tests: stops the server the hard way (clients see their connections drop), own clusters only.</summary>
    public Task StopAsync() =>
        RunPgAsync(Environment.UserName == "root", "pg_ctl", $"-D {Path.Combine(Own(), "data")} -m fast -w stop");

    /// <summary>Fault tests: starts the stopped server again, on the same port and data.</summary>
    public Task StartAsync() => RunPgAsync(Environment.UserName == "root", "pg_ctl", _startArguments ?? throw new InvalidOperationException("not started here"));

    private string Own() => _dir ?? throw new InvalidOperationException("an existing server (ASPSERVICE_TEST_POSTGRES) is not stopped by tests");

    /// <summary>A fresh empty database's connection string (for the catalog of one test host).</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var conn = new NpgsqlConnection(ServerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ToString();
    }

    private static string? FindBinDir()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                return dir;
            }
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
    }

    private Task RunPgAsync(bool asRoot, string tool, string arguments) =>
        asRoot
            ? RunAsync("runuser", $"-u postgres -- {Path.Combine(_binDir!, tool)} {arguments}")
            : RunAsync(Path.Combine(_binDir!, tool), arguments);

    private static async Task RunAsync(string file, string arguments)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await stderr} {await stdout}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresGroup : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres";
}
