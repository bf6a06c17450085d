using System.Globalization;
using AspService.Benchmarks.Infrastructure;

namespace AspService.Benchmarks.Onboarding;

public enum BenchProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Options of the <c>onboard</c> command.</summary>
public sealed record OnboardOptions(
    IReadOnlyList<BenchProvider> Providers,
    int? Count,
    int Concurrency,
    string? ServerDirectory,
    bool Keep,
    bool PostgresDurable,
    IReadOnlyDictionary<string, string> ServerSettings,
    TimeSpan StallTimeout)
{
    public const string Usage = """
        usage: dotnet run -c Release --project tests/Benchmarks -- onboard [options]
          --provider sqlite|postgres|both   databases to measure (default both)
          --count N                         onboard the first N tenant-capable codes (default: all 1,794)
          --concurrency N                   client requests in flight (default 8)
          --set Key=Value                   extra server setting, e.g. --set Database:MaxParallelism=8 (repeatable)
          --pg-durable                      PostgreSQL with fsync on (default: fsync off, like the test cluster)
          --server DIR                      server build output (default: src/AspService.Server/bin/<config>/net10.0)
          --stall-timeout SECONDS           give up when no tenant becomes Active for this long (default 300)
          --keep                            keep the temp folders (data, server log, PostgreSQL cluster)
        """;

    public static OnboardOptions Parse(IReadOnlyList<string> args)
    {
        var providers = new List<BenchProvider> { BenchProvider.Sqlite, BenchProvider.Postgres };
        int? count = null;
        var concurrency = 8;
        string? server = null;
        var keep = false;
        var durable = false;
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var stall = TimeSpan.FromSeconds(300);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--provider":
                    providers = BenchArgs.Providers(Value());
                    break;
                case "--count":
                    count = BenchArgs.Positive("--count", Value());
                    break;
                case "--concurrency":
                    concurrency = BenchArgs.Positive("--concurrency", Value());
                    break;
                case "--set":
                    var pair = Value();
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException("--set needs Key=Value");
                    }

                    settings[pair[..eq].Replace(":", "__", StringComparison.Ordinal)] = pair[(eq + 1)..];
                    break;
                case "--pg-durable":
                    durable = true;
                    break;
                case "--server":
                    server = Value();
                    break;
                case "--stall-timeout":
                    stall = TimeSpan.FromSeconds(BenchArgs.Positive("--stall-timeout", Value()));
                    break;
                case "--keep":
                    keep = true;
                    break;
                default:
                    throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }

        return new OnboardOptions(providers, count, concurrency, server, keep, durable, settings, stall);
    }
}
