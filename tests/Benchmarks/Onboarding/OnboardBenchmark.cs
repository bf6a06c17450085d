using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Benchmarks.Infrastructure;
using AspService.Tenancy;

namespace AspService.Benchmarks.Onboarding;

/// <summary>The figures of one run.</summary>
public sealed record OnboardResult(
    BenchProvider Provider,
    int Tenants,
    TimeSpan Total,
    TimeSpan Submit,
    TimeSpan ServerCpu,
    long PeakBytes,
    long RssAfterBytes,
    long DatabaseBytes,
    string DatabaseNote,
    string Settings,
    IReadOnlyList<StepBreakdown.Interval> Steps)
{
    public double TenantsPerSecond => Tenants / Total.TotalSeconds;
}

/// <summary>
/// Onboards N municipalities through the real server's operator API and waits until all are Active.
/// Time runs from the first POST to the moment the Active count reaches N, so it covers the HTTP API,
/// the catalog writes and the jobs role's provisioning (create database, migrate, seed).
/// </summary>
public sealed class OnboardBenchmark(OnboardOptions options, TextWriter output)
{
    private const string OperatorEmail = "bench-operator@example.jp";

    public static IReadOnlyList<LocalGovernment> Codes(int? count)
    {
        var all = LocalGovernmentDirectory.Shipped.All.Where(e => e.CanBeTenant).OrderBy(e => e.Code, StringComparer.Ordinal).ToList();
        return count is { } n ? all.Take(n).ToList() : all;
    }

    public async Task<OnboardResult> RunAsync(BenchProvider provider, CancellationToken ct)
    {
        var serverDir = ServerProcess.Directory(options.ServerDirectory);
        var workspace = BenchWorkspace.Create("bench", provider, output);
        var (root, dataRoot, logFile) = workspace;

        ThrowawayPostgres? cluster = null;
        try
        {
            var environment = workspace.Environment("web,jobs");
            var settings = "";
            if (provider == BenchProvider.Postgres)
            {
                cluster = await ThrowawayPostgres.StartAsync(options.PostgresDurable, options.Keep, ct);
                environment["Database__Provider"] = "PostgreSql";
                environment["Database__Catalog"] = await cluster.CreateDatabaseAsync("aspsvc_catalog", ct);
                environment["Database__TenantServer"] = cluster.ServerConnectionString;
                settings = "PostgreSQL cluster: " + cluster.Settings;
                output.WriteLine($"   {settings}; {cluster.ServerConnectionString}");
            }
            else
            {
                environment["Database__Provider"] = "Sqlite";
            }

            foreach (var (key, value) in options.ServerSettings)
            {
                environment[key] = value;
                settings += (settings.Length == 0 ? "" : "; ") + key.Replace("__", ":", StringComparison.Ordinal) + "=" + value;
            }

            return await RunAgainstServerAsync(provider, serverDir, environment, logFile, dataRoot, cluster, settings, ct);
        }
        finally
        {
            // Thousands of databases take a while to remove; say so rather than look stuck.
            output.WriteLine(options.Keep ? $"   stopping; kept {root}" : "   stopping and removing the temp folders…");
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }

            if (!options.Keep)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private async Task<OnboardResult> RunAgainstServerAsync(BenchProvider provider, string serverDir, Dictionary<string, string> environment,
        string logFile, string dataRoot, ThrowawayPostgres? cluster, string settings, CancellationToken ct)
    {
        await using var server = await ServerProcess.StartAsync(serverDir, environment, logFile, ct);
        output.WriteLine($"   server pid {server.Id} at {server.BaseAddress} (log: {logFile})");
        var created = await ServerProcess.RunCommandAsync(serverDir, environment, ["operators", "create", "--email", OperatorEmail, "--admin"], ct);
        using var http = OperatorSession.NewClient(server.BaseAddress, options.Concurrency + 2);
        await OperatorSession.SignInAsync(http, OperatorEmail, OperatorSession.ParsePassword(created), ct);
        var (_, rssBefore) = server.Memory();
        output.WriteLine($"   signed in as operator; server RSS before onboarding {Mib(rssBefore)}");

        var cpuBefore = server.CpuTime();
        var sessionsBefore = cluster is null ? 0 : await cluster.SessionsAsync(ct);
        var codes = Codes(options.Count);
        var failures = new ConcurrentQueue<string>();
        var accepted = 0;
        var clock = Stopwatch.StartNew();
        using var submitting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var submit = Task.Run(async () =>
        {
            await Parallel.ForEachAsync(codes, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = submitting.Token },
                async (lg, token) =>
                {
                    var body = new { code = lg.Code, adminEmail = $"admin-{lg.Code}@example.lg.jp", department = "情報政策課" };
                    using var response = await http.PostAsJsonAsync("/api/v1/ops/tenants", body, token);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        Interlocked.Increment(ref accepted);
                    }
                    else
                    {
                        failures.Enqueue($"{lg.Code}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
                    }
                });
            return clock.Elapsed;
        }, ct);

        var lastActive = -1;
        var lastChange = clock.Elapsed;
        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            var active = await CountAsync(http, "Active", ct);
            var done = submit.IsCompleted;
            if (done && active >= Volatile.Read(ref accepted))
            {
                break;
            }

            if (active != lastActive)
            {
                lastActive = active;
                lastChange = clock.Elapsed;
            }
            else if (clock.Elapsed - lastChange > options.StallTimeout)
            {
                await submitting.CancelAsync();
                throw new TimeoutException($"no tenant became Active for {options.StallTimeout.TotalSeconds:0} s ({active} active); see {logFile}");
            }

            if (server.HasExited)
            {
                throw new InvalidOperationException($"server exited during the run; see {logFile}");
            }

            if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(5))
            {
                lastPrint = clock.Elapsed;
                output.WriteLine($"   [{clock.Elapsed.TotalSeconds,6:0.0} s] accepted {Volatile.Read(ref accepted)}/{codes.Count}, active {active}, server RSS {Mib(server.Memory().Current)}");
            }

            await Task.Delay(200, ct);
        }

        var total = clock.Elapsed;
        var submitTime = await submit;
        var (peak, rssAfter) = server.Memory();
        var cpu = server.CpuTime() - cpuBefore;
        if (!failures.IsEmpty)
        {
            output.WriteLine($"   {failures.Count} onboarding requests failed; first: {failures.First()}");
        }

        output.WriteLine($"   all {accepted} Active after {total.TotalSeconds:0.0} s; measuring database size…");
        var (dbBytes, dbNote) = cluster is null ? SqliteSize(dataRoot) : await PostgresSizeAsync(cluster, ct);
        if (cluster is not null)
        {
            // Statistics arrive shortly after a backend ends; wait a moment so the count is complete.
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var sessions = await cluster.SessionsAsync(ct) - sessionsBefore;
            dbNote += string.Create(CultureInfo.InvariantCulture, $"; {sessions} server sessions opened during the run ({(double)sessions / Math.Max(accepted, 1):0.0} per tenant)");
        }

        var catalog = environment.TryGetValue("Database__Catalog", out var cs)
            ? cs
            : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = Path.Combine(dataRoot, "catalog.db"), Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        var steps = await StepBreakdown.ReadAsync(provider, catalog, ct);
        return new OnboardResult(provider, accepted, total, submitTime, cpu, peak, rssAfter, dbBytes, dbNote, settings, steps);
    }

    private static async Task<int> CountAsync(HttpClient http, string state, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri($"/api/v1/ops/tenants?state={state}&pageSize=1", UriKind.Relative), ct);
        await OperatorSession.EnsureAsync(response, "list tenants", ct);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("total").GetInt32();
    }

    private static (long, string) SqliteSize(string dataRoot)
    {
        var files = new DirectoryInfo(dataRoot).EnumerateFiles("*", SearchOption.AllDirectories).ToList();
        var tenants = files.Where(f => f.DirectoryName == Path.Combine(dataRoot, "tenants")).ToList();
        return (files.Sum(f => f.Length),
            $"all files in DataRoot; tenant files: {tenants.Count}, {Mib(tenants.Sum(f => f.Length))}");
    }

    private static async Task<(long, string)> PostgresSizeAsync(ThrowawayPostgres cluster, CancellationToken ct)
    {
        var (bytes, count) = await cluster.TenantDatabaseSizeAsync(ct);
        return (bytes, $"SUM(pg_database_size) over {count} tenant databases");
    }

    public static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " MiB";
}
