using System.Globalization;
using System.Text;
using AspService.Billing;
using AspService.Data.TenantData;
using Microsoft.EntityFrameworkCore;
using AspService.Common;

namespace AspService.Server.Sessions;

/// <summary>
/// テレワーク実施記録 and 利用率 for the tenant's administrators, read from the sessions (HTTP-free; the caller
/// checks the role). A session counts in the JST month it started; only sessions that were live (paired) and
/// have ended are records — a refused or never-paired request is not telework. Rules in decision 0086.
/// </summary>
public sealed class TeleworkRecords(TenantDbContext db)
{
    public static readonly IReadOnlyList<string> CsvColumns = ["メールアドレス", "氏名", "所属", "日付", "開始", "終了", "時間（分）"];

    /// <summary>Each staff member who teleworked in the month (or only <paramref name="userId"/>), by name, sessions by start.</summary>
    public async Task<IReadOnlyList<TeleworkStaffMonth>> MonthAsync(BillingMonth month, Guid? userId, CancellationToken ct)
    {
        var (start, end) = (month.Start, month.End);
        var query = db.Sessions.AsNoTracking().Where(s => s.StartedAt >= start && s.StartedAt < end && s.EndedAt != null);
        if (userId is { } only)
        {
            query = query.Where(s => s.UserId == only);
        }

        var rows = await query.Select(s => new { s.UserId, Start = s.StartedAt!.Value, End = s.EndedAt!.Value }).ToListAsync(ct);
        var ids = rows.Select(r => r.UserId).Distinct().ToList();
        var users = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.Department, u.Email }).ToDictionaryAsync(u => u.Id, ct);
        return [.. rows.GroupBy(r => r.UserId)
            .Select(g => new TeleworkStaffMonth(g.Key, users.GetValueOrDefault(g.Key)?.DisplayName ?? "", users.GetValueOrDefault(g.Key)?.Department,
                users.GetValueOrDefault(g.Key)?.Email ?? "", [.. g.OrderBy(r => r.Start).Select(r => new TeleworkSession(r.Start, r.End))]))
            .OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Email, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The month's records as CSV for 勤怠 (attendance) systems: one line per session, JST date and times, minutes;
    /// UTF-8 with BOM; every text field through the one formula-safe escaper (<see cref="Common.Csv.Field"/>).
    /// </summary>
    public static byte[] Csv(IReadOnlyList<TeleworkStaffMonth> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var sb = new StringBuilder();
        sb.AppendJoin(',', CsvColumns.Select(Common.Csv.Field)).Append("\r\n");
        foreach (var person in records)
        {
            foreach (var s in person.Sessions)
            {
                var (from, to) = (Jst.ToJst(s.Start), Jst.ToJst(s.End));
                string[] row =
                [
                    person.Email, person.Name, person.Department ?? "",
                    from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), from.ToString("HH:mm", CultureInfo.InvariantCulture),
                    to.ToString(to.Date == from.Date ? "HH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    ((long)Math.Round(s.Length.TotalMinutes, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture),
                ];
                sb.AppendJoin(',', row.Select(Common.Csv.Field)).Append("\r\n");
            }
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>
    /// 利用率 for each month of a fiscal year (April–March) and the year: staff = accounts that exist and are enabled
    /// at the end of the period (or now, for the period in progress); teleworked = those of them with at least one
    /// session that started (was live) in the period. Months not yet begun are left out.
    /// </summary>
    public async Task<TeleworkRateYear> RatesAsync(int fiscalYear, DateTimeOffset now, CancellationToken ct)
    {
        var months = BillingMonth.FiscalYearMonths(fiscalYear);
        var (yearStart, yearEnd) = (months[0].Start, months[^1].End);
        var accounts = await db.Users.IgnoreQueryFilters().AsNoTracking()
            .Select(u => new Account(u.Id, u.CreatedAt, u.DisabledAt, u.DeletedAt)).ToListAsync(ct);
        var started = await db.Sessions.AsNoTracking().Where(s => s.StartedAt >= yearStart && s.StartedAt < yearEnd)
            .Select(s => new { s.UserId, Start = s.StartedAt!.Value }).Distinct().ToListAsync(ct);

        TeleworkRate Rate(string label, DateTimeOffset from, DateTimeOffset to)
        {
            var partial = now < to;
            var at = partial ? now : to;
            var staff = accounts.Where(a => a.IsStaffAt(at)).Select(a => a.Id).ToHashSet();
            var teleworked = started.Where(s => s.Start >= from && s.Start < to && staff.Contains(s.UserId)).Select(s => s.UserId).Distinct().Count();
            return new TeleworkRate(label, staff.Count, teleworked, partial);
        }

        var rows = months.Where(m => m.Start <= now).Select(m => Rate(m.ToString(), m.Start, m.End)).ToList();
        return new TeleworkRateYear(fiscalYear, rows, Rate(fiscalYear.ToString(CultureInfo.InvariantCulture), yearStart, yearEnd));
    }

    private sealed record Account(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt, DateTimeOffset? DeletedAt)
    {
        // At the instant: created before it, and neither disabled nor deleted by then.
        public bool IsStaffAt(DateTimeOffset at) => CreatedAt < at && !(DisabledAt <= at) && !(DeletedAt <= at);
    }
}
