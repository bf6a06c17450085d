using AspService.Billing;
using AspService.Common;
using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>One tenant's usage over some months (a month with its days, a fiscal year, or the year to date), for operators and tenant admins alike.</summary>
public static class UsageView
{
    public sealed record Totals(int Sessions, long SessionSeconds);

    public sealed record Report(string Tenant, int? FiscalYear, string? CurrentMonth, IReadOnlyList<UsageDto> Months, Totals Totals, IReadOnlyList<DailyUsageDto> Daily);

    /// <summary>
    /// Which months a request asks for: <c>month</c> (with its days) or <c>fiscalYear</c>, never both;
    /// <paramref name="fallback"/> when neither. Both are read as text so that a bad value is named in the problem.
    /// </summary>
    public static Failure? Select(string? month, string? fiscalYearText, Func<(IReadOnlyList<BillingMonth> Months, BillingMonth? Daily)>? fallback,
        out IReadOnlyList<BillingMonth> months, out BillingMonth? daily, out int? fiscalYear)
    {
        months = [];
        daily = null;
        fiscalYear = null;
        if ((month is not null && fiscalYearText is not null) || (month is null && fiscalYearText is null && fallback is null))
        {
            return Failures.Field("month", BillingText.Get("month_or_year"));
        }

        if (month is not null)
        {
            if (!BillingMonth.TryParse(month, out var single))
            {
                return Failures.Field("month", BillingText.Get("month_format"));
            }

            months = [single.Value];
            daily = single;
            return null;
        }

        if (fiscalYearText is not null)
        {
            if (!int.TryParse(fiscalYearText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 9997)
            {
                return Failures.Field("fiscalYear", BillingText.Get("fiscal_year"));
            }

            fiscalYear = year;
            months = BillingMonth.FiscalYearMonths(year);
            return null;
        }

        (months, daily) = fallback!();
        return null;
    }

    public static async Task<Report> BuildAsync(CatalogDbContext catalog, Tenant tenant, IReadOnlyList<BillingMonth> months, BillingMonth? daily, int? fiscalYear, string? currentMonth, CancellationToken ct)
    {
        var keys = months.Select(x => x.Key).ToList();
        var stored = await catalog.UsageMonthly.AsNoTracking().Where(u => u.TenantId == tenant.Id && keys.Contains(u.Month)).ToDictionaryAsync(u => u.Month, ct);
        var monthly = months.Select(x => stored.TryGetValue(x.Key, out var u)
            ? new UsageDto(x.ToString(), tenant.Id, tenant.Code, tenant.Name, u.OfficeTerminals, u.ActiveUsers, u.Sessions, u.SessionSeconds, u.ComputedAt)
            : new UsageDto(x.ToString(), tenant.Id, tenant.Code, tenant.Name, 0, 0, 0, 0, null)).ToList();
        IReadOnlyList<DailyUsageDto> days = [];
        if (daily is { } d)
        {
            var first = d.FirstDay;
            var end = d.Next.FirstDay;
            days = await catalog.UsageDaily.AsNoTracking()
                .Where(u => u.TenantId == tenant.Id && u.Day >= first && u.Day < end).OrderBy(u => u.Day)
                .Select(u => new DailyUsageDto(u.Day, u.OfficeTerminals, u.ActiveUsers, u.Sessions, u.SessionSeconds)).ToListAsync(ct);
        }

        return new Report(tenant.Code, fiscalYear ?? (months.Count == 1 ? months[0].FiscalYear : null), currentMonth, monthly,
            new Totals(monthly.Sum(x => x.Sessions), monthly.Sum(x => x.SessionSeconds)), days);
    }
}
