using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Benchmarks.Infrastructure;
using AspService.Benchmarks.Onboarding;
using AspService.Billing;
using AspService.Data;
using Microsoft.Data.Sqlite;
using AspService.Common;

namespace AspService.Benchmarks.Billing;

/// <summary>One export download: how long, how big, and the status (422 when Shift_JIS cannot hold a name).</summary>
public sealed record ExportFigure(TimeSpan Time, long Bytes, int Status);

public sealed record BillingCloseResult(
    BenchProvider Provider,
    int Tenants,
    int UsageRows,
    TimeSpan Seed,
    TimeSpan Close,
    int Issued,
    TimeSpan CloseAgain,
    ExportFigure Csv,
    ExportFigure CsvShiftJis,
    ExportFigure Json,
    int Pdfs,
    TimeSpan PdfTotal,
    double PdfP50Ms,
    double PdfP95Ms,
    long PdfBytes,
    TimeSpan ServerCpu,
    long RssBeforeBytes,
    long PeakBytes);

/// <summary>
/// The monthly close and the month's exports for every local government, against the real server process:
/// the input is written straight into the catalog (<see cref="BillingSeed"/>), then the operator API closes the
/// last ended month, closes it again (nothing to issue), downloads the CSV (UTF-8 and Shift_JIS) and JSON
/// exports, and renders every invoice as a PDF.
/// </summary>
public sealed class BillingCloseBenchmark(BillingCloseOptions options, TextWriter output)
{
    private const string OperatorEmail = "bench-billing@example.jp";

    public async Task<BillingCloseResult> RunAsync(BenchProvider provider, CancellationToken ct)
    {
        var serverDir = ServerProcess.Directory(options.ServerDirectory);
        var workspace = BenchWorkspace.Create("billing", provider, output);
        var (root, dataRoot, logFile) = workspace;
        ThrowawayPostgres? cluster = null;
        try
        {
            var environment = workspace.Environment("web");
            environment["Billing__IssuerName"] = "株式会社ベンチマークASP";
            environment["Billing__IssuerAddress"] = "東京都千代田区霞が関一丁目1番1号";
            environment["Billing__RegistrationNumber"] = "T7123456789012";
            var database = new DatabaseOptions { DataRoot = dataRoot };
            if (provider == BenchProvider.Postgres)
            {
                cluster = await ThrowawayPostgres.StartAsync(durable: false, options.Keep, ct);
                environment["Database__Provider"] = "PostgreSql";
                environment["Database__Catalog"] = await cluster.CreateDatabaseAsync("aspsvc_catalog", ct);
                environment["Database__TenantServer"] = cluster.ServerConnectionString;
                database.Provider = DatabaseProvider.PostgreSql;
                database.Catalog = environment["Database__Catalog"];
                database.TenantServer = cluster.ServerConnectionString;
                output.WriteLine($"   PostgreSQL cluster: {cluster.Settings}");
            }
            else
            {
                environment["Database__Provider"] = "Sqlite";
                database.Provider = DatabaseProvider.Sqlite;
            }

            return await RunAgainstServerAsync(provider, serverDir, environment, logFile, new DatabaseProviders(database), ct);
        }
        finally
        {
            output.WriteLine(options.Keep ? $"   stopping; kept {root}" : "   stopping and removing the temp folders…");
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }

            SqliteConnection.ClearAllPools();
            if (!options.Keep)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private async Task<BillingCloseResult> RunAgainstServerAsync(BenchProvider provider, string serverDir, Dictionary<string, string> environment,
        string logFile, DatabaseProviders database, CancellationToken ct)
    {
        await using var server = await ServerProcess.StartAsync(serverDir, environment, logFile, ct);
        output.WriteLine($"   server pid {server.Id} at {server.BaseAddress} (log: {logFile})");
        var created = await ServerProcess.RunCommandAsync(serverDir, environment, ["operators", "create", "--email", OperatorEmail, "--admin"], ct);
        using var http = OperatorSession.NewClient(server.BaseAddress, options.PdfConcurrency + 2);
        await OperatorSession.SignInAsync(http, OperatorEmail, OperatorSession.ParsePassword(created), ct);
        using (var plan = await http.PostAsJsonAsync("/api/v1/ops/billing/plans", new
        {
            code = "standard", name = "標準プラン", effectiveFrom = "2020-01-01", baseFee = 30000, perOfficeTerminal = 1500,
            perActiveUser = 800, includedSessionHours = 100, perExtraHour = 200,
        }, ct))
        {
            await OperatorSession.EnsureAsync(plan, "create plan", ct);
        }

        // The last month that has ended in JST: the close refuses months still running.
        var month = BillingMonth.Of(DateTimeOffset.UtcNow).Previous;
        var governments = OnboardBenchmark.Codes(options.Count);
        var clock = Stopwatch.StartNew();
        var seeded = await BillingSeed.InsertAsync(database.CatalogOptions(), governments, month, ct);
        var seed = clock.Elapsed;
        SqliteConnection.ClearAllPools();
        var (_, rssBefore) = server.Memory();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   seeded {seeded.Tenants} tenants, {seeded.DailyRows:N0} daily and {seeded.MonthlyRows} monthly usage rows for {month} in {seed.TotalSeconds:0.0} s; server RSS {OnboardBenchmark.Mib(rssBefore)}"));

        var cpuBefore = server.CpuTime();
        var (close, closed) = await TimedAsync(() => http.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month = month.ToString() }, ct), "close", ct);
        var issued = JsonDocument.Parse(closed).RootElement.GetProperty("issued").GetInt32();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   close: {issued} invoices issued in {close.TotalSeconds:0.00} s"));
        var (closeAgain, _) = await TimedAsync(() => http.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month = month.ToString() }, ct), "close again", ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   close again (nothing to issue): {closeAgain.TotalSeconds:0.00} s"));

        var csv = await ExportAsync(http, $"/api/v1/ops/billing/exports/{month}/invoices.csv", ct);
        var sjis = await ExportAsync(http, $"/api/v1/ops/billing/exports/{month}/invoices.csv?encoding=shift_jis", ct);
        var json = await ExportAsync(http, $"/api/v1/ops/billing/exports/{month}/invoices.json", ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   exports: CSV {csv.Time.TotalSeconds:0.00} s ({Status(csv)}), Shift_JIS {sjis.Time.TotalSeconds:0.00} s ({Status(sjis)}), JSON {json.Time.TotalSeconds:0.00} s ({Status(json)})"));

        var ids = (await http.GetFromJsonAsync<JsonElement>($"/api/v1/ops/billing/invoices?month={month}", ct)).EnumerateArray()
            .Select(i => i.GetProperty("id").GetGuid()).Take(options.PdfCount ?? int.MaxValue).ToList();
        var (pdfTotal, p50, p95, pdfBytes) = await PdfsAsync(http, ids, ct);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   PDFs: {ids.Count} in {pdfTotal.TotalSeconds:0.0} s ({options.PdfConcurrency} in flight; p50 {p50:0} ms, p95 {p95:0} ms; {Size(pdfBytes)} in all)"));

        var cpu = server.CpuTime() - cpuBefore;
        var (peak, _) = server.Memory();
        return new BillingCloseResult(provider, seeded.Tenants, seeded.DailyRows + seeded.MonthlyRows, seed, close, issued, closeAgain, csv, sjis, json,
            ids.Count, pdfTotal, p50, p95, pdfBytes, cpu, rssBefore, peak);
    }

    public static string Status(ExportFigure e) => e.Status == 200 ? Size(e.Bytes) : $"HTTP {e.Status}";

    public static string Size(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private static async Task<(TimeSpan Time, string Body)> TimedAsync(Func<Task<HttpResponseMessage>> send, string what, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var response = await send();
        var body = await response.Content.ReadAsStringAsync(ct);
        var time = clock.Elapsed;
        await OperatorSession.EnsureAsync(response, what, ct);
        return (time, body);
    }

    private static async Task<ExportFigure> ExportAsync(HttpClient http, string path, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        return new ExportFigure(clock.Elapsed, bytes.LongLength, (int)response.StatusCode);
    }

    private async Task<(TimeSpan Total, double P50, double P95, long Bytes)> PdfsAsync(HttpClient http, List<Guid> ids, CancellationToken ct)
    {
        var times = new double[ids.Count];
        long bytes = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = options.PdfConcurrency, CancellationToken = ct },
            async (i, token) =>
            {
                var one = Stopwatch.StartNew();
                using var response = await http.GetAsync(new Uri($"/api/v1/ops/billing/invoices/{ids[i]}/pdf", UriKind.Relative), token);
                await OperatorSession.EnsureAsync(response, "pdf", token);
                Interlocked.Add(ref bytes, (await response.Content.ReadAsByteArrayAsync(token)).LongLength);
                times[i] = one.Elapsed.TotalMilliseconds;
            });
        var total = clock.Elapsed;
        Array.Sort(times);
        return times.Length == 0 ? (total, 0, 0, 0) : (total, times[times.Length / 2], times[(int)(times.Length * 0.95)], bytes);
    }
}

/// <summary>The <c>billing-close</c> command: runs the providers one after the other and prints them side by side.</summary>
public static class BillingCloseCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Any(a => a is "--help" or "-h"))
        {
            output.WriteLine(BillingCloseOptions.Usage);
            return 0;
        }

        BillingCloseOptions options;
        try
        {
            options = BillingCloseOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync("error: " + ex.Message);
            return 2;
        }

        output.WriteLine($"Billing close and exports for {OnboardBenchmark.Codes(options.Count).Count} local governments; {Environment.ProcessorCount} cores");
        var results = await BenchCommand.RunProvidersAsync(options.Providers, new BillingCloseBenchmark(options, output).RunAsync);
        if (results is null)
        {
            return 1;
        }

        PrintTable(results, output);
        return 0;
    }

    private static void PrintTable(IReadOnlyList<BillingCloseResult> results, TextWriter output)
    {
        var date = DateTimeOffset.UtcNow.ToOffset(Jst.Offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        output.WriteLine();
        output.WriteLine("| Date | Provider | Tenants | Close (invoices) | Close again | CSV UTF-8 | CSV Shift_JIS | JSON | PDFs (all, 4 in flight) | PDF p50 / p95 | Close+exports+PDFs | Server CPU | Server peak memory |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var all = r.Close + r.Csv.Time + r.CsvShiftJis.Time + r.Json.Time + r.PdfTotal;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {date} | {(r.Provider == BenchProvider.Sqlite ? "SQLite" : "PostgreSQL")} | {r.Tenants:N0} | {r.Close.TotalSeconds:0.00} s ({r.Issued:N0}) | {r.CloseAgain.TotalSeconds:0.00} s "
                + $"| {r.Csv.Time.TotalSeconds:0.00} s ({BillingCloseBenchmark.Status(r.Csv)}) | {r.CsvShiftJis.Time.TotalSeconds:0.00} s ({BillingCloseBenchmark.Status(r.CsvShiftJis)}) "
                + $"| {r.Json.Time.TotalSeconds:0.00} s ({BillingCloseBenchmark.Status(r.Json)}) | {r.PdfTotal.TotalSeconds:0.0} s ({r.Pdfs:N0}) | {r.PdfP50Ms:0} / {r.PdfP95Ms:0} ms "
                + $"| {all.TotalSeconds:0.0} s | {r.ServerCpu.TotalSeconds:0.0} s | {OnboardBenchmark.Mib(r.PeakBytes)} |"));
        }
    }
}
