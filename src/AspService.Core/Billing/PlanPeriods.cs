using AspService.Tenancy;

namespace AspService.Billing;

/// <summary>A span of JST calendar days: <see cref="From"/> inclusive, <see cref="Until"/> exclusive, open when null.</summary>
public readonly record struct DatePeriod(DateOnly From, DateOnly? Until)
{
    public bool IsValid => Until is null || Until.Value > From;

    public bool Contains(DateOnly day) => day >= From && (Until is null || day < Until.Value);

    public bool Overlaps(DatePeriod other) =>
        (other.Until is null || From < other.Until.Value) && (Until is null || other.From < Until.Value);

    public bool Overlaps(BillingMonth month) => Overlaps(new DatePeriod(month.FirstDay, month.Next.FirstDay));
}

/// <summary>
/// Which plan applies to a month, and which months are billed at all
/// (docs/decisions/0020-plan-change-rule.md, docs/decisions/0021-suspended-month-rule.md).
/// </summary>
public static class BillingRules
{
    /// <summary>True when any two periods overlap.</summary>
    public static bool AnyOverlap(IEnumerable<DatePeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        var sorted = periods.OrderBy(p => p.From).ToList();
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i - 1].Overlaps(sorted[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The item in force for the whole month: the one in force on the month's last JST day; when none is
    /// (the last one ended during the month), the one that started last among those overlapping the month;
    /// null when none overlaps the month. Items must not overlap each other.
    /// </summary>
    public static T? InForce<T>(IEnumerable<T> items, Func<T, DatePeriod> period, BillingMonth month)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(period);
        var overlapping = items.Where(i => period(i).Overlaps(month)).ToList();
        return overlapping.FirstOrDefault(i => period(i).Contains(month.LastDay))
            ?? overlapping.OrderByDescending(i => period(i).From).FirstOrDefault();
    }

    /// <summary>
    /// Whether a tenant is billed for a month, given its current state: tenants not yet provisioned are not;
    /// suspended tenants are billed like active ones; a tenant whose decommissioning started before the month
    /// is not, and the month in which it started is billed in full.
    /// </summary>
    public static bool IsBilledMonth(TenantState state, DateTimeOffset stateChangedAt, BillingMonth month) => state switch
    {
        TenantState.Active or TenantState.Suspended => true,
        TenantState.Decommissioning or TenantState.Deleted => stateChangedAt >= month.Start,
        _ => false,
    };
}
