using AspService.Billing;

namespace AspService.Tests.Billing;

public sealed class StripeRulesTests
{
    private static readonly Guid TenantA = Guid.Parse("0192f3a4-5b6c-7d8e-9f00-112233445566");
    private static readonly Guid TenantB = Guid.Parse("0192f3a4-5b6c-7d8e-9f00-112233445567");
    private static readonly BillingMonth October = new(2026, 10);

    [Fact]
    public void Idempotency_SameInputs_SameKey_EachPartChangesIt()
    {
        var key = StripeKeys.Idempotency(TenantA, October, "INV-00000001/invoice");

        Assert.Equal("aspservice/0192f3a45b6c7d8e9f00112233445566/202610/INV-00000001/invoice", key);
        Assert.Equal(key, StripeKeys.Idempotency(TenantA, October, "INV-00000001/invoice"));
        Assert.NotEqual(key, StripeKeys.Idempotency(TenantB, October, "INV-00000001/invoice"));
        Assert.NotEqual(key, StripeKeys.Idempotency(TenantA, October.Next, "INV-00000001/invoice"));
        Assert.NotEqual(key, StripeKeys.Idempotency(TenantA, October, "INV-00000002/invoice"));
        Assert.NotEqual(key, StripeKeys.Idempotency(TenantA, October, "INV-00000001/finalize"));
        Assert.Equal("aspservice/0192f3a45b6c7d8e9f00112233445566/customer", StripeKeys.Customer(TenantA));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("請求")]
    [InlineData("a?b")]
    public void Idempotency_BadOperation_Throws(string operation) =>
        Assert.Throws<ArgumentException>(() => StripeKeys.Idempotency(TenantA, October, operation));

    [Fact]
    public void Idempotency_TooLong_Throws()
    {
        Assert.Throws<ArgumentException>(() => StripeKeys.Idempotency(TenantA, October, new string('x', 250)));
        Assert.Equal(StripeKeys.MaxIdempotencyKeyLength, StripeKeys.Idempotency(TenantA, October, new string('x', StripeKeys.MaxIdempotencyKeyLength - 51)).Length);
    }

    [Fact]
    public void MeterIdentifier_DeterministicAndWithinStripesLimit()
    {
        var ids = StripeMeters.Components.Select(c => StripeKeys.MeterIdentifier(TenantA, October, c)).ToList();

        Assert.Equal("aspservice-0192f3a45b6c7d8e9f00112233445566-202610-office_terminals", ids[0]);
        Assert.Equal(3, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id.Length <= StripeKeys.MaxIdentifierLength));
        Assert.Equal(ids, StripeMeters.Components.Select(c => StripeKeys.MeterIdentifier(TenantA, October, c)));
        Assert.NotEqual(ids[0], StripeKeys.MeterIdentifier(TenantA, October.Previous, StripeMeters.Components[0]));
        Assert.NotEqual(ids[0], StripeKeys.MeterIdentifier(TenantB, October, StripeMeters.Components[0]));
    }

    [Theory]
    [InlineData(12345, 12345)]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(-500, -500)]
    public void Jpy_IsZeroDecimal(long yen, long stripeAmount)
    {
        Assert.Equal(stripeAmount, StripeAmounts.Jpy(yen));
        Assert.True(StripeAmounts.IsZeroDecimal("jpy"));
        Assert.False(StripeAmounts.IsZeroDecimal("usd"));
    }

    [Fact]
    public void Items_OnePerLineThenOnePerRate_SumIsTheInvoiceTotal()
    {
        var prices = new PlanPrices(30000, 1500, 800, 100, 200);
        var lines = PlanPricing.Lines(prices, new MonthlyUsage(2, 5, (101 * 3600) + 1), 10);
        var taxes = ConsumptionTax.PerRate(lines.Select(l => (l.Amount, l.TaxRatePercent)), TaxRounding.Floor);

        var items = StripeInvoiceItems.From(lines, taxes);

        Assert.Equal(["line-1", "line-2", "line-3", "line-4", "tax-10"], items.Select(i => i.Key));
        Assert.Equal([30000L, 3000, 4000, 400, 3740], items.Select(i => i.Amount));
        Assert.Equal(lines.Sum(l => l.Amount) + taxes.Sum(t => t.Tax), items.Sum(i => i.Amount));
        Assert.Equal("庁内端末利用料（2台 × ¥1,500）", items[1].Description);
        Assert.Equal("消費税 10%（10%対象 ¥37,400）", items[^1].Description);
    }

    [Fact]
    public void Items_TaxOncePerRate_NotPerLine()
    {
        // Three lines of ¥1,009 at 10%: per line 100 + 100 + 100 = 300; once on ¥3,027 it is 302.
        PricedLine Line(string code) => new(code, code, 1, "式", 1009, 1009, 10);
        var lines = new[] { Line("a"), Line("b"), Line("c") };

        var items = StripeInvoiceItems.From(lines, ConsumptionTax.PerRate(lines.Select(l => (l.Amount, l.TaxRatePercent)), TaxRounding.Floor));

        Assert.Equal(302, items[^1].Amount);
        Assert.Equal(3329, items.Sum(i => i.Amount));
    }

    [Fact]
    public void MeterTimestamp_LastSecondOfTheJstMonth_NullWhenTooOldOrNotEnded()
    {
        var lastSecond = new DateTimeOffset(2026, 10, 31, 23, 59, 59, TimeSpan.FromHours(9));

        Assert.Equal(lastSecond, StripeMeters.Timestamp(October, new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero)));
        Assert.Equal(lastSecond, StripeMeters.Timestamp(October, lastSecond + StripeMeters.MaxAge));
        Assert.Null(StripeMeters.Timestamp(October, lastSecond + StripeMeters.MaxAge + TimeSpan.FromSeconds(1)));
        Assert.Null(StripeMeters.Timestamp(October, lastSecond - TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void MeterQuantities_OnlyMeteredComponents()
    {
        var lines = PlanPricing.Lines(new PlanPrices(30000, 1500, 800, 0, 200), new MonthlyUsage(2, 5, 7200), 10);

        Assert.Equal([(PlanPricing.OfficeTerminals, 2L), (PlanPricing.ActiveUsers, 5L), (PlanPricing.ExtraHours, 2L)], StripeMeters.Quantities(lines));
    }

    [Fact]
    public void MeterQuantities_ZeroUsage_NothingToSend()
    {
        var lines = PlanPricing.Lines(new PlanPrices(30000, 1500, 800, 100, 200), new MonthlyUsage(3, 0, 3600), 10);

        Assert.Equal([(PlanPricing.OfficeTerminals, 3L)], StripeMeters.Quantities(lines));
    }

    [Theory]
    [InlineData(StripeInvoiceState.Open, StripePayments.InvoicePaid, StripeInvoiceState.Paid)]
    [InlineData(StripeInvoiceState.Open, StripePayments.InvoicePaymentFailed, StripeInvoiceState.PaymentFailed)]
    [InlineData(StripeInvoiceState.PaymentFailed, StripePayments.InvoicePaid, StripeInvoiceState.Paid)]
    [InlineData(StripeInvoiceState.Draft, StripePayments.InvoicePaid, StripeInvoiceState.Paid)]
    [InlineData(StripeInvoiceState.Pending, StripePayments.InvoicePaid, StripeInvoiceState.Paid)]
    public void Payments_Transitions(StripeInvoiceState from, string type, StripeInvoiceState to) =>
        Assert.Equal(to, StripePayments.Next(from, type));

    [Theory]
    [InlineData(StripeInvoiceState.Paid, StripePayments.InvoicePaymentFailed)]
    [InlineData(StripeInvoiceState.Paid, StripePayments.InvoicePaid)]
    [InlineData(StripeInvoiceState.Void, StripePayments.InvoicePaid)]
    [InlineData(StripeInvoiceState.PaymentFailed, StripePayments.InvoicePaymentFailed)]
    [InlineData(StripeInvoiceState.Pending, StripePayments.InvoicePaymentFailed)]
    [InlineData(StripeInvoiceState.Open, "customer.created")]
    [InlineData(StripeInvoiceState.Open, null)]
    public void Payments_NoChange(StripeInvoiceState from, string? type)
    {
        Assert.Null(StripePayments.Next(from, type));
        Assert.Equal(type is StripePayments.InvoicePaid or StripePayments.InvoicePaymentFailed, StripePayments.IsHandled(type));
    }
}
