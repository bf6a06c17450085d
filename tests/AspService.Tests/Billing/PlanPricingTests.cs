using AspService.Billing;
using AspService.Tenancy;

namespace AspService.Tests.Billing;

public sealed class PlanPricingTests
{
    private static readonly PlanPrices Standard = new(BaseFee: 30000, PerOfficeTerminal: 1500, PerActiveUser: 800, IncludedSessionHours: 100, PerExtraHour: 200);

    [Theory]
    [InlineData(0L, 100, 0L)]
    [InlineData(360_000L, 100, 0L)] // exactly the included hours
    [InlineData(360_001L, 100, 1L)] // one second over starts an hour
    [InlineData(363_600L, 100, 1L)]
    [InlineData(363_601L, 100, 2L)]
    [InlineData(1L, 0, 1L)]
    [InlineData(7200L, 0, 2L)]
    public void ExtraStartedHours_CountsStartedHoursOfExcess(long seconds, int included, long expected) =>
        Assert.Equal(expected, PlanPricing.ExtraStartedHours(seconds, included));

    [Fact]
    public void Lines_FullUsage_OneLinePerComponent()
    {
        var lines = PlanPricing.Lines(Standard, new MonthlyUsage(OfficeTerminals: 12, ActiveUsers: 30, SessionSeconds: (102 * 3600) + 1), 10);

        Assert.Equal([PlanPricing.BaseFee, PlanPricing.OfficeTerminals, PlanPricing.ActiveUsers, PlanPricing.ExtraHours], lines.Select(l => l.Code));
        Assert.Equal([1L, 12L, 30L, 3L], lines.Select(l => l.Quantity));
        Assert.Equal([30000L, 18000L, 24000L, 600L], lines.Select(l => l.Amount));
        Assert.All(lines, l => Assert.Equal(10, l.TaxRatePercent));
        Assert.All(lines, l => Assert.Equal(l.Quantity * l.UnitPrice, l.Amount));
    }

    [Fact]
    public void Lines_NoUsage_BaseFeeAndZeroQuantityLines()
    {
        var lines = PlanPricing.Lines(Standard, MonthlyUsage.None, 10);

        Assert.Equal(30000, lines.Sum(l => l.Amount));
        Assert.Equal(4, lines.Count);
        Assert.Equal(30000, lines.Single(l => l.Code == PlanPricing.BaseFee).Amount);
    }

    [Fact]
    public void Lines_ZeroPricedComponent_Omitted()
    {
        var lines = PlanPricing.Lines(Standard with { PerActiveUser = 0, PerExtraHour = 0 }, new MonthlyUsage(1, 5, 999_999), 10);
        Assert.Equal([PlanPricing.BaseFee, PlanPricing.OfficeTerminals], lines.Select(l => l.Code));
    }

    [Fact]
    public void NegativeFields_NamesEachNegativePrice()
    {
        Assert.Empty(PlanPricing.NegativeFields(Standard));
        Assert.Equal(
            ["baseFee", "perOfficeTerminal", "perActiveUser", "includedSessionHours", "perExtraHour"],
            PlanPricing.NegativeFields(new PlanPrices(-1, -1, -1, -1, -1)));
    }
}

public sealed class BillingRulesTests
{
    private sealed record Assignment(string Plan, DatePeriod Period);

    private static DatePeriod P(string from, string? until = null) =>
        new(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), until is null ? null : DateOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2026-01-01", "2026-02-01", "2026-02-01", null, false)] // touching: until is exclusive
    [InlineData("2026-01-01", "2026-02-02", "2026-02-01", null, true)]
    [InlineData("2026-01-01", null, "2030-01-01", null, true)]
    [InlineData("2026-03-01", "2026-04-01", "2026-01-01", "2026-03-01", false)]
    [InlineData("2026-03-01", "2026-04-01", "2026-03-15", "2026-03-16", true)]
    public void Overlaps_Periods(string f1, string? u1, string f2, string? u2, bool expected)
    {
        Assert.Equal(expected, P(f1, u1).Overlaps(P(f2, u2)));
        Assert.Equal(expected, P(f2, u2).Overlaps(P(f1, u1)));
        Assert.Equal(expected, BillingRules.AnyOverlap([P(f1, u1), P(f2, u2)]));
    }

    [Fact]
    public void IsValid_UntilAfterFrom()
    {
        Assert.True(P("2026-01-01").IsValid);
        Assert.True(P("2026-01-01", "2026-01-02").IsValid);
        Assert.False(P("2026-01-01", "2026-01-01").IsValid);
        Assert.False(P("2026-01-02", "2026-01-01").IsValid);
    }

    [Fact]
    public void InForce_ChangeMidMonth_PlanOnLastDayAppliesToWholeMonth()
    {
        Assignment[] history = [new("basic", P("2026-04-01", "2026-10-15")), new("standard", P("2026-10-15"))];

        Assert.Equal("standard", BillingRules.InForce(history, a => a.Period, new BillingMonth(2026, 10))!.Plan);
        Assert.Equal("basic", BillingRules.InForce(history, a => a.Period, new BillingMonth(2026, 9))!.Plan);
        Assert.Equal("standard", BillingRules.InForce(history, a => a.Period, new BillingMonth(2026, 11))!.Plan);
    }

    [Fact]
    public void InForce_ChangeOnTheFirst_NewPlanFromThatMonth()
    {
        Assignment[] history = [new("basic", P("2026-04-01", "2026-11-01")), new("standard", P("2026-11-01"))];

        Assert.Equal("basic", BillingRules.InForce(history, a => a.Period, new BillingMonth(2026, 10))!.Plan);
        Assert.Equal("standard", BillingRules.InForce(history, a => a.Period, new BillingMonth(2026, 11))!.Plan);
    }

    [Fact]
    public void InForce_EndedMidMonth_LastOneOverlappingApplies()
    {
        Assignment[] history = [new("basic", P("2026-04-01", "2026-06-10")), new("trial", P("2026-06-10", "2026-06-20"))];

        Assert.Equal("trial", BillingRules.InForce(history, a => a.Period, new BillingMonth(2026, 6))!.Plan);
        Assert.Null(BillingRules.InForce(history, a => a.Period, new BillingMonth(2026, 7)));
        Assert.Null(BillingRules.InForce(history, a => a.Period, new BillingMonth(2026, 3)));
    }

    [Fact]
    public void InForce_StartsOnLastDay_Applies()
    {
        Assignment[] history = [new("basic", P("2026-06-30"))];
        Assert.Equal("basic", BillingRules.InForce(history, a => a.Period, new BillingMonth(2026, 6))!.Plan);
    }

    [Theory]
    [InlineData(TenantState.Active, "2020-01-01T00:00:00+09:00", true)]
    [InlineData(TenantState.Suspended, "2020-01-01T00:00:00+09:00", true)] // suspended months are billed
    [InlineData(TenantState.Provisioning, "2020-01-01T00:00:00+09:00", false)]
    [InlineData(TenantState.Applied, "2020-01-01T00:00:00+09:00", false)]
    [InlineData(TenantState.Approved, "2020-01-01T00:00:00+09:00", false)]
    [InlineData(TenantState.Decommissioning, "2026-10-20T00:00:00+09:00", true)] // started during the month
    [InlineData(TenantState.Decommissioning, "2026-10-01T00:00:00+09:00", true)]
    [InlineData(TenantState.Decommissioning, "2026-09-30T23:59:59+09:00", false)]
    [InlineData(TenantState.Deleted, "2026-11-02T00:00:00+09:00", true)]
    [InlineData(TenantState.Deleted, "2026-09-01T00:00:00+09:00", false)]
    public void IsBilledMonth_ByState(TenantState state, string changedAt, bool expected) =>
        Assert.Equal(expected, BillingRules.IsBilledMonth(state, DateTimeOffset.Parse(changedAt, System.Globalization.CultureInfo.InvariantCulture), new BillingMonth(2026, 10)));
}
