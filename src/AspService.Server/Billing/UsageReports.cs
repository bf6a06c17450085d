using System.Globalization;
using System.Text;
using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>
/// Monthly usage reports (CSV + PDF) per tenant, made from the catalog's roll-ups after the month's close and
/// stored in <c>UsageReports</c>. Making a report again replaces it, so the job that makes them is idempotent.
/// </summary>
public sealed class UsageReports(CatalogDbContext catalog, TimeProvider time)
{
    public static readonly IReadOnlyList<string> Columns = ["date", "office_terminals", "active_users", "sessions", "session_hours"];

    public static readonly IReadOnlyList<string> SummaryColumns =
        ["month", "tenant_code", "tenant_name", "office_terminals", "active_users", "sessions", "session_hours", "report_created_at"];

    /// <summary>The figures of one report: every JST day of the month (zeros where nothing was metered) and the month's total.</summary>
    public sealed record Content(string TenantCode, string TenantName, BillingMonth Month, IReadOnlyList<DailyUsageDto> Days, int OfficeTerminals, int ActiveUsers, int Sessions, long SessionSeconds);

    /// <summary>(tenant, month) pairs without a report: closed months the live tenant was metered or invoiced for, oldest first.</summary>
    public async Task<IReadOnlyList<(Guid TenantId, BillingMonth Month)>> DueAsync(IReadOnlyCollection<Guid> liveTenants, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(liveTenants);
        var closed = await catalog.BillingCloses.AsNoTracking().Select(c => c.Month).ToListAsync(ct);
        var metered = await catalog.UsageMonthly.AsNoTracking().Where(u => closed.Contains(u.Month) && liveTenants.Contains(u.TenantId))
            .Select(u => new { u.TenantId, u.Month }).ToListAsync(ct);
        var invoiced = await catalog.Invoices.AsNoTracking().Where(i => closed.Contains(i.Month) && liveTenants.Contains(i.TenantId))
            .Select(i => new { i.TenantId, i.Month }).ToListAsync(ct);
        var done = (await catalog.Set<UsageReport>().AsNoTracking().Where(r => closed.Contains(r.Month))
            .Select(r => new { r.TenantId, r.Month }).ToListAsync(ct)).ToHashSet();
        return [.. metered.Concat(invoiced).Distinct().Where(p => !done.Contains(p))
            .OrderBy(p => p.Month).ThenBy(p => p.TenantId).Select(p => (p.TenantId, BillingMonth.FromKey(p.Month)))];
    }

    /// <summary>Makes (or remakes) one tenant's report for a month and stores it, replacing an earlier one.</summary>
    public async Task<Content> CreateAsync(Guid tenantId, BillingMonth month, CancellationToken ct)
    {
        var content = await ContentAsync(tenantId, month, ct);
        var csv = BillingExports.Encode(Csv(content), BillingExports.Utf8WithBom);
        var pdf = UsageReportPdf.Render(content);
        var now = time.GetUtcNow();
        var row = await catalog.Set<UsageReport>().SingleOrDefaultAsync(r => r.TenantId == tenantId && r.Month == month.Key, ct);
        if (row is null)
        {
            catalog.Set<UsageReport>().Add(new UsageReport { TenantId = tenantId, Month = month.Key, Csv = csv, Pdf = pdf, CreatedAt = now });
        }
        else
        {
            row.Csv = csv;
            row.Pdf = pdf;
            row.CreatedAt = now;
        }

        await catalog.SaveChangesAsync(ct);
        return content;
    }

    public async Task<Content> ContentAsync(Guid tenantId, BillingMonth month, CancellationToken ct)
    {
        var tenant = await catalog.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId, ct);
        var first = month.FirstDay;
        var next = month.Next.FirstDay;
        var stored = await catalog.UsageDaily.AsNoTracking().Where(u => u.TenantId == tenantId && u.Day >= first && u.Day < next).ToDictionaryAsync(u => u.Day, ct);
        var monthly = await catalog.UsageMonthly.AsNoTracking().SingleOrDefaultAsync(u => u.TenantId == tenantId && u.Month == month.Key, ct);
        var days = Enumerable.Range(0, month.Days).Select(i => first.AddDays(i)).Select(d => stored.TryGetValue(d, out var u)
            ? new DailyUsageDto(d, u.OfficeTerminals, u.ActiveUsers, u.Sessions, u.SessionSeconds)
            : new DailyUsageDto(d, 0, 0, 0, 0)).ToList();
        return new Content(tenant.Code, tenant.Name, month, days,
            days.Max(d => d.OfficeTerminals), monthly?.ActiveUsers ?? 0, days.Sum(d => d.Sessions), days.Sum(d => d.SessionSeconds));
    }

    /// <summary>One row per JST day, then a total row (office terminals: the month's highest; active users: distinct in the month).</summary>
    public static string Csv(Content content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var sb = new StringBuilder();
        sb.AppendJoin(',', Columns).Append("\r\n");
        foreach (var d in content.Days)
        {
            sb.AppendJoin(',', d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Num(d.OfficeTerminals), Num(d.ActiveUsers), Num(d.Sessions), Hours(d.SessionSeconds)).Append("\r\n");
        }

        sb.AppendJoin(',', "合計", Num(content.OfficeTerminals), Num(content.ActiveUsers), Num(content.Sessions), Hours(content.SessionSeconds)).Append("\r\n");
        return sb.ToString();
    }

    /// <summary>The provider-wide summary of a month: one row per tenant with a report, by tenant code.</summary>
    public async Task<string> SummaryCsvAsync(BillingMonth month, CancellationToken ct)
    {
        var rows = await (from r in catalog.Set<UsageReport>().AsNoTracking()
                          join t in catalog.Tenants.AsNoTracking() on r.TenantId equals t.Id
                          join u in catalog.UsageMonthly.AsNoTracking().Where(u => u.Month == month.Key) on r.TenantId equals u.TenantId into usage
                          from u in usage.DefaultIfEmpty()
                          where r.Month == month.Key
                          select new { t.Code, t.Name, r.CreatedAt, Terminals = (int?)u.OfficeTerminals, Users = (int?)u.ActiveUsers, Sessions = (int?)u.Sessions, Seconds = (long?)u.SessionSeconds })
            .ToListAsync(ct);
        var sb = new StringBuilder();
        sb.AppendJoin(',', SummaryColumns).Append("\r\n");
        foreach (var r in rows.OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            string[] row =
            [
                month.ToString(), r.Code, r.Name, Num(r.Terminals ?? 0), Num(r.Users ?? 0), Num(r.Sessions ?? 0), Hours(r.Seconds ?? 0),
                r.CreatedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ];
            sb.AppendJoin(',', row.Select(Common.Csv.Field)).Append("\r\n");
        }

        return sb.ToString();
    }

    /// <summary>Session time in hours with two decimals (rounded half up), as the reports show it.</summary>
    public static string Hours(long seconds) => Math.Round(seconds / 3600m, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
