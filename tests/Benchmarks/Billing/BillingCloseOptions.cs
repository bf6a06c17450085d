using System.Globalization;
using AspService.Benchmarks.Infrastructure;
using AspService.Benchmarks.Onboarding;

namespace AspService.Benchmarks.Billing;

/// <summary>Options of the <c>billing-close</c> command.</summary>
public sealed record BillingCloseOptions(
    IReadOnlyList<BenchProvider> Providers,
    int? Count,
    int? PdfCount,
    int PdfConcurrency,
    string? ServerDirectory,
    bool Keep)
{
    public const string Usage = """
        usage: dotnet run -c Release --project tests/Benchmarks -- billing-close [options]
          --provider sqlite|postgres|both   databases to measure (default both, side by side)
          --count N                         tenants: the first N tenant-capable codes (default: all 1,794)
          --pdf-count N                     invoice PDFs to render (default: every invoice)
          --pdf-concurrency N               PDF requests in flight (default 4)
          --server DIR                      server build output (default: src/AspService.Server/bin/<config>/net10.0)
          --keep                            keep the temp folders (data, server log, PostgreSQL cluster)
        """;

    public static BillingCloseOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var providers = new List<BenchProvider> { BenchProvider.Sqlite, BenchProvider.Postgres };
        int? count = null;
        int? pdfCount = null;
        var pdfConcurrency = 4;
        string? server = null;
        var keep = false;
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
                case "--pdf-count":
                    pdfCount = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : throw new ArgumentException("--pdf-count must be a whole number");
                    break;
                case "--pdf-concurrency":
                    pdfConcurrency = BenchArgs.Positive("--pdf-concurrency", Value());
                    break;
                case "--server":
                    server = Value();
                    break;
                case "--keep":
                    keep = true;
                    break;
                default:
                    throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }

        return new BillingCloseOptions(providers, count, pdfCount, pdfConcurrency, server, keep);
    }
}
