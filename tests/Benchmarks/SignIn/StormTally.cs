using System.Collections.Concurrent;
using System.Globalization;

namespace AspService.Benchmarks.SignIn;

/// <summary>Outcomes of one side of the storm (honest staff, or the sprayer): counts by answer, and latencies.</summary>
public sealed class StormTally
{
    private readonly ConcurrentDictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<double> _latenciesMs = [];

    public void Add(string outcome, TimeSpan? latency = null)
    {
        _outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        if (latency is { } l)
        {
            _latenciesMs.Add(l.TotalMilliseconds);
        }
    }

    public int Count(string outcome) => _outcomes.GetValueOrDefault(outcome);

    public int Total => _outcomes.Values.Sum();

    public double Percentile(double p)
    {
        var sorted = _latenciesMs.OrderBy(x => x).ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public override string ToString() =>
        string.Join(", ", _outcomes.OrderByDescending(o => o.Value).Select(o => o.Key + " " + o.Value.ToString(CultureInfo.InvariantCulture)));
}
