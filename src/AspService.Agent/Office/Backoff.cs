namespace AspService.Agent.Office;

/// <summary>
/// How long the office agent waits before reconnecting to the relay: 1 s doubling to 60 s, each wait moved by up
/// to ±20 % at random so that a thousand office PCs cut off together do not all come back in the same second.
/// </summary>
public static class Backoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(60);
    public const double Jitter = 0.2;

    /// <summary>A connection that stayed up this long counts as healthy: the next failure starts again at 1 s.</summary>
    public static readonly TimeSpan Healthy = TimeSpan.FromSeconds(60);

    /// <summary>The wait before reconnect attempt <paramref name="failures"/> (1 = after the first failure).</summary>
    /// <param name="random">A value in [0, 1): 0 gives −20 %, 0.5 the plain value, just under 1 gives +20 %.</param>
    public static TimeSpan Delay(int failures, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        if (double.IsNaN(random) || random < 0 || random >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(random), random, "must be in [0, 1)");
        }

        // 2^6 s already exceeds the cap; larger exponents would only overflow.
        var exponent = Math.Min(failures - 1, 6);
        var plain = Math.Min(First.TotalSeconds * (1 << exponent), Max.TotalSeconds);
        var factor = 1 + (Jitter * ((2 * random) - 1));
        return TimeSpan.FromMilliseconds(Math.Round(plain * factor * 1000));
    }
}
