using System.Globalization;
using AspService.Benchmarks.Billing;
using AspService.Benchmarks.Infrastructure;
using AspService.Benchmarks.Onboarding;
using AspService.Benchmarks.Relay;
using AspService.Benchmarks.SignIn;

// Benchmarks print figures; they never assert wall-clock limits (see docs/benchmarks.md).
const string usage = "usage: AspService.Benchmarks onboard|billing-close|relay|signin-storm [options]   (<command> --help for options)";
if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
{
    Console.WriteLine(usage);
    return 0;
}

if (args[0] == "billing-close")
{
    return await BillingCloseCommand.RunAsync(args[1..], Console.Out);
}

if (args[0] == "signin-storm")
{
    return await SignInStormCommand.RunAsync(args[1..], Console.Out);
}

if (args[0] == "relay")
{
    return await RelayBenchCommand.RunAsync(args[1..], Console.Out);
}

if (args[0] != "onboard")
{
    await Console.Error.WriteLineAsync($"error: unknown command '{args[0]}'. {usage}");
    return 2;
}

if (args.Skip(1).Any(a => a is "--help" or "-h"))
{
    Console.WriteLine(OnboardOptions.Usage);
    return 0;
}

OnboardOptions options;
try
{
    options = OnboardOptions.Parse(args[1..]);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync("error: " + ex.Message);
    return 2;
}

var benchmark = new OnboardBenchmark(options, Console.Out);
var count = OnboardBenchmark.Codes(options.Count).Count;
Console.WriteLine($"Onboarding {count} local governments; client concurrency {options.Concurrency}; {Environment.ProcessorCount} cores");
var results = await BenchCommand.RunProvidersAsync(options.Providers, benchmark.RunAsync, r => Report.Print(r, Console.Out));
if (results is null)
{
    return 1;
}

Report.PrintTable(results, Console.Out);
return 0;

internal static class Report
{
    private static readonly TimeSpan SqliteTarget = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan PostgresTarget = TimeSpan.FromMinutes(5);
    private const long MemoryTarget = 1024L * 1024 * 1024;

    public static void Print(OnboardResult r, TextWriter output)
    {
        var target = r.Provider == BenchProvider.Sqlite ? SqliteTarget : PostgresTarget;
        output.WriteLine($"   tenants:        {r.Tenants}");
        output.WriteLine($"   total time:     {r.Total.TotalSeconds:0.0} s (all POSTs accepted after {r.Submit.TotalSeconds:0.0} s)");
        output.WriteLine($"   throughput:     {r.TenantsPerSecond:0.0} tenants/s");
        output.WriteLine($"   server CPU:     {r.ServerCpu.TotalSeconds:0.0} s user+system ({r.ServerCpu / r.Total:P0} of one core over the run)");
        output.WriteLine($"   server memory:  peak {OnboardBenchmark.Mib(r.PeakBytes)} (VmHWM), {OnboardBenchmark.Mib(r.RssAfterBytes)} RSS afterwards");
        output.WriteLine($"   database size:  {OnboardBenchmark.Mib(r.DatabaseBytes)} ({r.DatabaseNote})");
        output.WriteLine("   per tenant, between the timestamps the server records in the catalog (mean / p50 / p95):");
        foreach (var step in r.Steps)
        {
            output.WriteLine($"     {step.Name,-32} {step.MeanMs,8:0} / {step.P50Ms,6:0} / {step.P95Ms,6:0} ms");
        }

        if (r.Settings.Length > 0)
        {
            output.WriteLine($"   settings:       {r.Settings}");
        }

        // Informational only: the targets of issue 2, scaled for the count actually run.
        var scaled = target * (r.Tenants / 1794.0);
        output.WriteLine($"   target:         {(r.Total <= scaled ? "met" : "MISSED")} time ({scaled.TotalSeconds:0} s for {r.Tenants}), "
            + $"{(r.RssAfterBytes < MemoryTarget ? "met" : "MISSED")} memory (< 1 GiB afterwards)");
    }

    public static void PrintTable(IReadOnlyList<OnboardResult> results, TextWriter output)
    {
        var date = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        output.WriteLine();
        output.WriteLine("| Date | Provider | Tenants | Total time | Tenants/s | Server peak memory (VmHWM) | Server RSS afterwards | Database size |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {date} | {(r.Provider == BenchProvider.Sqlite ? "SQLite" : "PostgreSQL")} | {r.Tenants:N0} | {r.Total.TotalSeconds:0.0} s | {r.TenantsPerSecond:0.0} | {OnboardBenchmark.Mib(r.PeakBytes)} | {OnboardBenchmark.Mib(r.RssAfterBytes)} | {OnboardBenchmark.Mib(r.DatabaseBytes)} |"));
        }
    }
}
