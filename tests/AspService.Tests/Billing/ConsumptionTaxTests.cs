using AspService.Billing;

namespace AspService.Tests.Billing;

public sealed class ConsumptionTaxTests
{
    [Theory]
    [InlineData(0L, 10, TaxRounding.Floor, 0L)]
    [InlineData(1000L, 10, TaxRounding.Floor, 100L)]
    [InlineData(1009L, 10, TaxRounding.Floor, 100L)]
    [InlineData(1009L, 10, TaxRounding.HalfUp, 101L)]
    [InlineData(1004L, 10, TaxRounding.HalfUp, 100L)]
    [InlineData(1005L, 10, TaxRounding.HalfUp, 101L)]
    [InlineData(1001L, 10, TaxRounding.Ceiling, 101L)]
    [InlineData(1000L, 10, TaxRounding.Ceiling, 100L)]
    [InlineData(1234L, 8, TaxRounding.Floor, 98L)] // 98.72
    [InlineData(1234L, 8, TaxRounding.HalfUp, 99L)]
    [InlineData(1234L, 8, TaxRounding.Ceiling, 99L)]
    [InlineData(1250L, 8, TaxRounding.HalfUp, 100L)] // exactly 100
    [InlineData(-1009L, 10, TaxRounding.Floor, -100L)] // credits round by magnitude
    [InlineData(-1005L, 10, TaxRounding.HalfUp, -101L)]
    [InlineData(-1001L, 10, TaxRounding.Ceiling, -101L)]
    [InlineData(999_999_999_999L, 10, TaxRounding.Floor, 99_999_999_999L)]
    public void Of_Amount_RoundsOnceAsConfigured(long amount, int rate, TaxRounding rounding, long expected) =>
        Assert.Equal(expected, ConsumptionTax.Of(amount, rate, rounding));

    [Fact]
    public void Of_AllRemaindersAndModes_MatchExactDivision()
    {
        // Every remainder 0..99 at 10% and 8%, against the definition computed with integer arithmetic.
        foreach (var rate in new[] { 8, 10 })
        {
            for (var amount = 10_000L; amount < 10_200L; amount++)
            {
                var exactHundredths = amount * rate;
                Assert.Equal(exactHundredths / 100, ConsumptionTax.Of(amount, rate, TaxRounding.Floor));
                Assert.Equal((exactHundredths + 99) / 100, ConsumptionTax.Of(amount, rate, TaxRounding.Ceiling));
                Assert.Equal((exactHundredths + 50) / 100, ConsumptionTax.Of(amount, rate, TaxRounding.HalfUp));
            }
        }
    }

    [Fact]
    public void PerRate_RoundsOncePerRate_DiffersFromPerLineRounding()
    {
        // Three lines of 1,009 yen at 10%: per line 100 + 100 + 100 = 300, once on 3,027 = 302.
        (long, int)[] lines = [(1009, 10), (1009, 10), (1009, 10)];

        var summary = ConsumptionTax.PerRate(lines, TaxRounding.Floor);

        var perLine = lines.Sum(l => ConsumptionTax.Of(l.Item1, l.Item2, TaxRounding.Floor));
        Assert.Equal(300, perLine);
        Assert.Equal([new TaxSubtotal(10, 3027, 302)], summary);
    }

    [Fact]
    public void PerRate_WhenLinesDivideEvenly_SameAsPerLine()
    {
        (long, int)[] lines = [(1000, 10), (2500, 10)];
        Assert.Equal([new TaxSubtotal(10, 3500, 350)], ConsumptionTax.PerRate(lines, TaxRounding.Floor));
    }

    [Fact]
    public void PerRate_TwoRates_OneSubtotalEachInRateOrder()
    {
        (long, int)[] lines = [(1009, 10), (1234, 8), (1009, 10), (0, 8)];

        var summary = ConsumptionTax.PerRate(lines, TaxRounding.HalfUp);

        Assert.Equal([new TaxSubtotal(8, 1234, 99), new TaxSubtotal(10, 2018, 202)], summary);
    }

    [Fact]
    public void PerRate_NoLines_Empty() =>
        Assert.Empty(ConsumptionTax.PerRate([], TaxRounding.Floor));

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Of_BadRate_Throws(int rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsumptionTax.Of(100, rate, TaxRounding.Floor));

    [Fact]
    public void Of_Overflow_Throws() =>
        Assert.Throws<OverflowException>(() => ConsumptionTax.Of(long.MaxValue / 2, 10, TaxRounding.Floor));
}
