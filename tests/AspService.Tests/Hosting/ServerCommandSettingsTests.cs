using System.Diagnostics;
using System.Text;
using AspService.Server.Cli;
using Microsoft.Data.Sqlite;

namespace AspService.Tests.Hosting;

/// <summary>Server commands read settings from their own command line, like the server does (real process).</summary>
public sealed class ServerCommandSettingsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aspsvc-cli-" + Guid.NewGuid().ToString("N")[..10]);

    public ServerCommandSettingsTests() => Directory.CreateDirectory(Path.Combine(_root, "cwd"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans temp.
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OperatorsCreate_WritesToTheDataRootGivenOnItsCommandLine(bool equalsForm)
    {
        var elsewhere = Path.Combine(_root, "elsewhere");
        var email = $"cli-{Guid.NewGuid():N}"[..12] + "@provider.example";
        string[] setting = equalsForm ? ["--Database:DataRoot=" + elsewhere] : ["--Database:DataRoot", elsewhere];

        var (exit, stdout, stderr) = await RunServerAsync(["operators", "create", "--email", email, .. setting, "--admin"]);

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("(administrator)", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(elsewhere, "catalog.db")), "catalog not in the given DataRoot");
        Assert.False(Directory.Exists(Path.Combine(_root, "cwd", "data")), "the default data folder was written");
        await using var catalog = new SqliteConnection($"Data Source={Path.Combine(elsewhere, "catalog.db")};Pooling=false");
        await catalog.OpenAsync();
        await using var query = catalog.CreateCommand();
        query.CommandText = "SELECT COUNT(*) FROM Operators WHERE Email = $e";
        query.Parameters.AddWithValue("$e", email);
        Assert.Equal(1L, (long)(await query.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Settings_BeforeTheCommandWord_StillACommand()
    {
        var elsewhere = Path.Combine(_root, "first");

        var (exit, stdout, stderr) = await RunServerAsync(["--Database:DataRoot=" + elsewhere, "migrate"]);

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("tenants: 0 migrated, 0 failed", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(elsewhere, "catalog.db")));
    }

    [Theory]
    [InlineData("operators create --email a@b.example --Database:DataRoot=/x --admin", "operators create --email a@b.example --admin", "--Database:DataRoot=/x")]
    [InlineData("operators create --email=a@b.example --Server:PublicBaseUrl https://x.example", "operators create --email a@b.example", "--Server:PublicBaseUrl https://x.example")]
    [InlineData("--Database:Provider=Sqlite audit verify --tenant 131016", "audit verify --tenant 131016", "--Database:Provider=Sqlite")]
    [InlineData("migrate --parallel 2 --urls=http://127.0.0.1:0", "migrate --parallel 2", "--urls=http://127.0.0.1:0")]
    public void Split_SettingsFromCommandWords(string line, string command, string settings)
    {
        var (c, s) = CommandLine.Split(line.Split(' '));

        Assert.Equal(command, string.Join(' ', c));
        Assert.Equal(settings, string.Join(' ', s));
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunServerAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            // An empty working folder: the default DataRoot ("data") would land here if the setting were ignored.
            WorkingDirectory = Path.Combine(_root, "cwd"),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AspService.Server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("Database__DataRoot");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("server did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
