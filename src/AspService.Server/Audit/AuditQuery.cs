using AspService.Data.TenantData;
using Microsoft.EntityFrameworkCore;
using AspService.Common;

namespace AspService.Server.Audit;

/// <summary>
/// Reads the tenant's audit log for people: filtered, newest first, paged by sequence, ids resolved to names.
/// HTTP-free; the administrators' screen and its CSV export call it. Days are JST (a fixed UTC+9, as everywhere).
/// </summary>
public sealed class AuditQuery(TenantDbContext db)
{
    public const int MaxTake = 5000;

    public async Task<AuditPage> RunAsync(AuditFilter filter, long? before, int take, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrEmpty(filter.Action))
        {
            query = query.Where(a => a.Action == filter.Action);
        }

        if (filter.UserId is { } user)
        {
            var id = user.ToString();
            query = query.Where(a => a.Actor == id || a.Subject == id);
        }

        if (filter.From is { } from)
        {
            var start = StartOfJstDay(from);
            query = query.Where(a => a.At >= start);
        }

        if (filter.To is { } to)
        {
            var end = StartOfJstDay(to.AddDays(1));
            query = query.Where(a => a.At < end);
        }

        if (before is { } b)
        {
            query = query.Where(a => a.Sequence < b);
        }

        var size = Math.Clamp(take, 1, MaxTake);
        var rows = await query.OrderByDescending(a => a.Sequence).Take(size + 1)
            .Select(a => new AuditRow(a.Sequence, a.At, a.Action, a.Actor, a.Subject, a.Detail, a.Client)).ToListAsync(ct);
        long? next = rows.Count > size ? rows[size - 1].Sequence : null;
        if (rows.Count > size)
        {
            rows.RemoveAt(size);
        }

        return new AuditPage(rows, await NamesAsync(rows, ct), next);
    }

    public static DateTimeOffset StartOfJstDay(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Jst.Offset).ToUniversalTime();

    /// <summary>Every id in the rows (actor, subject, values in the detail) that names a user or a terminal of this tenant.</summary>
    private async Task<Dictionary<string, string>> NamesAsync(List<AuditRow> rows, CancellationToken ct)
    {
        var ids = new HashSet<Guid>();
        foreach (var row in rows)
        {
            foreach (var text in new[] { row.Actor, row.Subject }.Concat(AuditDetail.Parse(row.Detail).SelectMany(p => p.Values)))
            {
                if (Guid.TryParse(text, out var id))
                {
                    ids.Add(id);
                }
            }
        }

        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (ids.Count == 0)
        {
            return names;
        }

        // Deleted users and terminals still have names in the history (the query filters hide them otherwise).
        var users = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        var terminals = await db.Terminals.IgnoreQueryFilters().AsNoTracking().Where(t => ids.Contains(t.Id))
            .Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        foreach (var u in users)
        {
            names[u.Id.ToString()] = u.DisplayName;
        }

        foreach (var t in terminals)
        {
            names[t.Id.ToString()] = t.Name;
        }

        return names;
    }
}
