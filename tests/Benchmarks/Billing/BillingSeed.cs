using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Tenancy;
using Microsoft.EntityFrameworkCore;
using AspService.Common;

namespace AspService.Benchmarks.Billing;

/// <summary>
/// Writes the close's input straight into the catalog (no tenant databases are needed to bill): one Active tenant
/// per local government, each on the <c>standard</c> plan, and a month of daily and monthly usage rows.
/// Usage is deterministic per code and spread over small and large municipalities: 6–105 office terminals,
/// weekday sessions only, 2–3 hours each, so most tenants have every invoice line and some exceed the
/// included hours.
/// </summary>
public static class BillingSeed
{
    public sealed record Counts(int Tenants, int DailyRows, int MonthlyRows);

    public static async Task<Counts> InsertAsync(DbContextOptions<CatalogDbContext> options, IReadOnlyList<LocalGovernment> governments, BillingMonth month, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(governments);
        var now = DateTimeOffset.UtcNow;
        // In UTC: PostgreSQL's timestamptz takes no other offset.
        var since = new DateTimeOffset(month.Year, 4, 1, 0, 0, 0, Jst.Offset).AddYears(month.Month < 4 ? -2 : -1).ToUniversalTime();
        var daily = 0;
        foreach (var batch in governments.Chunk(200))
        {
            await using var catalog = new CatalogDbContext(options);
            catalog.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var lg in batch)
            {
                var id = Guid.CreateVersion7(since);
                catalog.Tenants.Add(new Tenant
                {
                    Id = id,
                    Code = lg.Code,
                    Name = lg.Name,
                    Kana = lg.Kana,
                    PrefectureCode = lg.PrefectureCode,
                    State = TenantState.Active,
                    DatabaseName = $"t{lg.Code}_{id.ToString("N")[^8..]}",
                    AdminEmail = $"admin-{lg.Code}@example.lg.jp",
                    CreatedAt = since,
                    StateChangedAt = since,
                });
                catalog.TenantPlanAssignments.Add(new TenantPlanAssignment
                {
                    Id = Guid.CreateVersion7(since),
                    TenantId = id,
                    PlanCode = "standard",
                    EffectiveFrom = Jst.Today(since),
                    CreatedAt = since,
                });

                var size = Size(lg.Code);
                var days = new List<UsageDaily>(month.Days);
                for (var d = month.FirstDay; d <= month.LastDay; d = d.AddDays(1))
                {
                    var weekday = d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
                    var users = weekday ? (size / 2) + (d.Day % 3) : 0;
                    days.Add(new UsageDaily
                    {
                        TenantId = id,
                        Day = d,
                        OfficeTerminals = 5 + size,
                        ActiveUsers = users,
                        Sessions = users,
                        SessionSeconds = users * (7200L + (d.Day * 137 % 3600)),
                        ComputedAt = now,
                    });
                }

                catalog.UsageDaily.AddRange(days);
                daily += days.Count;
                catalog.UsageMonthly.Add(new UsageMonthly
                {
                    TenantId = id,
                    Month = month.Key,
                    OfficeTerminals = days.Max(x => x.OfficeTerminals),
                    ActiveUsers = size,
                    Sessions = days.Sum(x => x.Sessions),
                    SessionSeconds = days.Sum(x => x.SessionSeconds),
                    ComputedAt = now,
                });
            }

            await catalog.SaveChangesAsync(ct);
        }

        return new Counts(governments.Count, daily, governments.Count);
    }

    /// <summary>1–100, stable per code, so runs are comparable.</summary>
    private static int Size(string code) => 1 + (int)(long.Parse(code, System.Globalization.CultureInfo.InvariantCulture) * 7919 % 100);
}
