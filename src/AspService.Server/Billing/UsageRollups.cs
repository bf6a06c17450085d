using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Billing;

/// <summary>
/// Writes the usage roll-ups that metering computes from the tenant databases. Every write is an upsert
/// keyed by (tenant, day) or (tenant, month) that replaces the values, so recomputing is idempotent.
/// </summary>
public sealed class UsageRollups(IDbContextFactory<CatalogDbContext> contexts, TimeProvider time)
{
    public sealed record Day(DateOnly Date, int OfficeTerminals, int ActiveUsers, int Sessions, long SessionSeconds);

    public async Task UpsertDailyAsync(Guid tenantId, IReadOnlyCollection<Day> days, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(days);
        await UpsertAsync(async catalog =>
        {
            var dates = days.Select(d => d.Date).ToList();
            var existing = await catalog.UsageDaily.Where(u => u.TenantId == tenantId && dates.Contains(u.Day)).ToDictionaryAsync(u => u.Day, ct);
            foreach (var d in days)
            {
                if (!existing.TryGetValue(d.Date, out var row))
                {
                    row = new UsageDaily { TenantId = tenantId, Day = d.Date };
                    catalog.UsageDaily.Add(row);
                }

                row.OfficeTerminals = d.OfficeTerminals;
                row.ActiveUsers = d.ActiveUsers;
                row.Sessions = d.Sessions;
                row.SessionSeconds = d.SessionSeconds;
                row.ComputedAt = time.GetUtcNow();
            }
        }, ct);
    }

    /// <summary>
    /// Recomputes a month from its daily rows: terminals = highest daily count, sessions and time = sums.
    /// Active users are distinct over the month, which the daily rows cannot give, so metering passes them.
    /// </summary>
    public async Task<UsageMonthly> RecomputeMonthAsync(Guid tenantId, BillingMonth month, int activeUsers, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(activeUsers);
        UsageMonthly? result = null;
        await UpsertAsync(async catalog =>
        {
            var first = month.FirstDay;
            var next = month.Next.FirstDay;
            var days = await catalog.UsageDaily.AsNoTracking().Where(u => u.TenantId == tenantId && u.Day >= first && u.Day < next).ToListAsync(ct);
            result = await catalog.UsageMonthly.SingleOrDefaultAsync(u => u.TenantId == tenantId && u.Month == month.Key, ct);
            if (result is null)
            {
                result = new UsageMonthly { TenantId = tenantId, Month = month.Key };
                catalog.UsageMonthly.Add(result);
            }

            result.OfficeTerminals = days.Count == 0 ? 0 : days.Max(d => d.OfficeTerminals);
            result.Sessions = days.Sum(d => d.Sessions);
            result.SessionSeconds = days.Sum(d => d.SessionSeconds);
            result.ActiveUsers = activeUsers;
            result.ComputedAt = time.GetUtcNow();
        }, ct);
        return result!;
    }

    // Two writers inserting the same key: the loser retries and then updates the row the winner inserted.
    private async Task UpsertAsync(Func<CatalogDbContext, Task> apply, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var catalog = await contexts.CreateDbContextAsync(ct);
            await apply(catalog);
            try
            {
                await catalog.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // retry with fresh state
            }
        }
    }
}
