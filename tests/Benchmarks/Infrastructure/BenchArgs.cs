using System.Globalization;
using AspService.Benchmarks.Onboarding;

namespace AspService.Benchmarks.Infrastructure;

/// <summary>Option values the benchmark commands share.</summary>
public static class BenchArgs
{
    public static List<BenchProvider> Providers(string value) => value switch
    {
        "sqlite" => [BenchProvider.Sqlite],
        "postgres" => [BenchProvider.Postgres],
        "both" => [BenchProvider.Sqlite, BenchProvider.Postgres],
        var other => throw new ArgumentException($"--provider must be sqlite, postgres or both, not '{other}'"),
    };

    public static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer");
}
