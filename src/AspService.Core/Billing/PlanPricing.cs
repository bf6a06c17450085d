namespace AspService.Billing;

/// <summary>The priced components of one plan version, tax-exclusive, in whole yen.</summary>
public sealed record PlanPrices(
    long BaseFee,
    long PerOfficeTerminal,
    long PerActiveUser,
    int IncludedSessionHours,
    long PerExtraHour);

/// <summary>A tenant's usage of one month, as the monthly roll-up records it.</summary>
/// <param name="OfficeTerminals">Registered office terminals: the highest daily count in the month.</param>
/// <param name="ActiveUsers">Distinct users with at least one session in the month.</param>
/// <param name="SessionSeconds">Total session time in the month (sessions split at JST midnight).</param>
public sealed record MonthlyUsage(int OfficeTerminals, int ActiveUsers, long SessionSeconds)
{
    public static readonly MonthlyUsage None = new(0, 0, 0);
}

/// <summary>One priced line of an invoice before tax.</summary>
public sealed record PricedLine(string Code, string Description, long Quantity, string Unit, long UnitPrice, long Amount, int TaxRatePercent);

/// <summary>
/// Turns a plan and a month's usage into invoice lines. Definitions (docs/decisions/0020-plan-change-rule.md):
/// the base fee is one per month; each registered office terminal and each active user is charged the unit
/// price; session time beyond the included hours is charged per started hour of the month's total excess
/// (1 second over = 1 hour, 3600 seconds over = 1 hour, 3601 = 2). A component priced at 0 is not part of the
/// plan and gives no line; every other component gives a line even with quantity 0, so the invoice shows it.
/// </summary>
public static class PlanPricing
{
    public const string BaseFee = "base_fee";
    public const string OfficeTerminals = "office_terminals";
    public const string ActiveUsers = "active_users";
    public const string ExtraHours = "extra_session_hours";

    /// <summary>Started hours of session time beyond <paramref name="includedHours"/>.</summary>
    public static long ExtraStartedHours(long sessionSeconds, int includedHours)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sessionSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(includedHours);
        var excess = sessionSeconds - (includedHours * 3600L);
        return excess <= 0 ? 0 : (excess + 3599) / 3600;
    }

    public static IReadOnlyList<PricedLine> Lines(PlanPrices plan, MonthlyUsage usage, int taxRatePercent)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(usage);
        var lines = new List<PricedLine>(4);
        void Add(string code, string description, long quantity, string unit, long unitPrice)
        {
            if (unitPrice > 0)
            {
                lines.Add(new PricedLine(code, description, quantity, unit, unitPrice, checked(quantity * unitPrice), taxRatePercent));
            }
        }

        Add(BaseFee, "月額基本料", 1, "式", plan.BaseFee);
        Add(OfficeTerminals, "庁内端末利用料", usage.OfficeTerminals, "台", plan.PerOfficeTerminal);
        Add(ActiveUsers, "利用者料金", usage.ActiveUsers, "人", plan.PerActiveUser);
        Add(ExtraHours, $"セッション超過料金（{plan.IncludedSessionHours}時間超過分）", ExtraStartedHours(usage.SessionSeconds, plan.IncludedSessionHours), "時間", plan.PerExtraHour);
        return lines;
    }

    /// <summary>Field-level problems of a price list (negative values), keyed by JSON name.</summary>
    public static IReadOnlyList<string> NegativeFields(PlanPrices plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var fields = new List<string>();
        if (plan.BaseFee < 0)
        {
            fields.Add("baseFee");
        }

        if (plan.PerOfficeTerminal < 0)
        {
            fields.Add("perOfficeTerminal");
        }

        if (plan.PerActiveUser < 0)
        {
            fields.Add("perActiveUser");
        }

        if (plan.IncludedSessionHours < 0)
        {
            fields.Add("includedSessionHours");
        }

        if (plan.PerExtraHour < 0)
        {
            fields.Add("perExtraHour");
        }

        return fields;
    }
}
