namespace AspService.Billing;

/// <summary>How the tax of one rate on one invoice is rounded to whole yen. Applied to the magnitude, so a
/// credit rounds symmetrically to a charge of the same size.</summary>
public enum TaxRounding
{
    /// <summary>切り捨て (the default and the common practice).</summary>
    Floor,

    /// <summary>四捨五入: halves round up.</summary>
    HalfUp,

    /// <summary>切り上げ.</summary>
    Ceiling,
}

/// <summary>The taxable subtotal and tax of one rate on one invoice.</summary>
public sealed record TaxSubtotal(int RatePercent, long Subtotal, long Tax);

/// <summary>
/// 消費税 under the qualified invoice system: the tax is computed once per rate per invoice from the sum of
/// that rate's lines (never per line), in integers of yen only.
/// </summary>
public static class ConsumptionTax
{
    /// <summary>Tax on <paramref name="amount"/> yen at <paramref name="ratePercent"/> percent, rounded once.</summary>
    public static long Of(long amount, int ratePercent, TaxRounding rounding)
    {
        if (ratePercent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(ratePercent), "0..100 expected");
        }

        var magnitude = Math.Abs(checked(amount * ratePercent));
        var whole = magnitude / 100;
        var rest = magnitude % 100;
        var rounded = rounding switch
        {
            TaxRounding.Floor => whole,
            TaxRounding.HalfUp => rest >= 50 ? whole + 1 : whole,
            TaxRounding.Ceiling => rest > 0 ? whole + 1 : whole,
            _ => throw new ArgumentOutOfRangeException(nameof(rounding)),
        };
        return amount < 0 ? -rounded : rounded;
    }

    /// <summary>Groups the lines by rate (ascending) and computes each rate's tax once.</summary>
    public static IReadOnlyList<TaxSubtotal> PerRate(IEnumerable<(long Amount, int RatePercent)> lines, TaxRounding rounding)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return [.. lines
            .GroupBy(l => l.RatePercent)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var subtotal = g.Aggregate(0L, (sum, l) => checked(sum + l.Amount));
                return new TaxSubtotal(g.Key, subtotal, Of(subtotal, g.Key, rounding));
            })];
    }
}
