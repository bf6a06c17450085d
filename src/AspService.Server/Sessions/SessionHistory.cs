using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Server.Relay;
using Microsoft.EntityFrameworkCore;
using AspService.Common;

namespace AspService.Server.Sessions;

/// <summary>
/// Every staff member's sessions and refused requests, newest first, for the tenant's administrators (HTTP-free;
/// the caller checks the role). Refusals come from the audit log (<see cref="RelayAudit.Denied"/>), which is where
/// the broker records them; the rows of both sources are merged by time and paged together.
/// </summary>
public sealed class SessionHistory(TenantDbContext db)
{
    /// <summary>State of a line that is a refused request, not a session.</summary>
    public const string Refused = "refused";

    public const int MaxPageSize = 200;

    public async Task<SessionHistoryPage> ListAsync(SessionHistoryQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var page = Math.Max(1, query.Page);
        DateTimeOffset? from = query.From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), Jst.Offset) : null;
        DateTimeOffset? until = query.To is { } t ? new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), Jst.Offset) : null;

        var sessions = db.Sessions.AsNoTracking();
        // Broker refusals only: a refusal at pairing ends a session, which is listed itself (its codes are looked up below).
        var refusals = db.AuditLog.AsNoTracking().Where(a => a.Action == RelayAudit.Denied && EF.Functions.Like(a.Detail!, "at=broker %"));
        if (query.UserId is { } user)
        {
            var actor = user.ToString();
            sessions = sessions.Where(s => s.UserId == user);
            refusals = refusals.Where(a => a.Actor == actor);
        }

        if (from is { } start)
        {
            sessions = sessions.Where(s => s.RequestedAt >= start);
            refusals = refusals.Where(a => a.At >= start);
        }

        if (until is { } end)
        {
            sessions = sessions.Where(s => s.RequestedAt < end);
            refusals = refusals.Where(a => a.At < end);
        }

        var total = await sessions.CountAsync(ct) + await refusals.CountAsync(ct);
        // A page past the end shows the last one.
        page = Math.Min(page, Math.Max(1, (total + size - 1) / size));
        // The newest (page × size) of each source contain the page's rows of the merged list.
        var window = page * size;
        var sessionRows = await sessions.OrderByDescending(s => s.RequestedAt).Take(window).ToListAsync(ct);
        var refusalRows = await refusals.OrderByDescending(a => a.At).Take(window)
            .Select(a => new { a.At, a.Actor, a.Subject, a.Detail }).ToListAsync(ct);

        var merged = sessionRows.Select(s => (At: s.RequestedAt, Session: (RelaySession?)s, Refusal: (Refusal?)null))
            .Concat(refusalRows.Select(r => (At: r.At, Session: (RelaySession?)null, Refusal: (Refusal?)new Refusal(r.Actor, r.Subject, r.Detail))))
            .OrderByDescending(x => x.At).Skip((page - 1) * size).Take(size).ToList();

        var userIds = merged.Select(x => x.Session?.UserId ?? (Guid.TryParse(x.Refusal!.Actor, out var u) ? u : Guid.Empty)).Distinct().ToList();
        var officeIds = merged.Select(x => x.Session?.OfficeTerminalId ?? (Guid.TryParse(x.Refusal!.Subject, out var o) ? o : Guid.Empty)).Distinct().ToList();
        var names = await db.Users.IgnoreQueryFilters().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var offices = await db.Terminals.IgnoreQueryFilters().Where(x => officeIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        var deniedAtPairing = merged.Where(x => x.Session?.EndReason == EndReasons.PolicyDenied).Select(x => x.Session!.Id.ToString("D")).ToList();
        var pairingCodes = deniedAtPairing.Count == 0 ? []
            : (await db.AuditLog.AsNoTracking().Where(a => a.Action == RelayAudit.Denied && deniedAtPairing.Contains(a.Subject!))
                .Select(a => new { a.Subject, a.Detail }).ToListAsync(ct))
                .GroupBy(a => a.Subject!).ToDictionary(g => g.Key, g => Codes(g.First().Detail));

        var rows = merged.Select(x =>
        {
            if (x.Session is { } s)
            {
                return new SessionHistoryRow(s.RequestedAt, s.UserId, names.GetValueOrDefault(s.UserId), offices.GetValueOrDefault(s.OfficeTerminalId),
                    s.Id, s.State.ToString().ToLowerInvariant(), s.StartedAt, s.EndedAt, s.EndReason,
                    pairingCodes.GetValueOrDefault(s.Id.ToString("D")) ?? []);
            }

            var r = x.Refusal!;
            var userId = Guid.TryParse(r.Actor, out var u) ? u : Guid.Empty;
            var office = Guid.TryParse(r.Subject, out var o) ? offices.GetValueOrDefault(o) : null;
            return new SessionHistoryRow(x.At, userId, names.GetValueOrDefault(userId), office, null, Refused, null, null, null, Codes(r.Detail));
        }).ToList();
        return new SessionHistoryPage(total, page, size, rows);
    }

    /// <summary>The codes of a denial's audit detail: "at=broker OutsideAllowedHours,SourceNetworkNotAllowed".</summary>
    public static IReadOnlyList<string> Codes(string? detail)
    {
        if (string.IsNullOrEmpty(detail))
        {
            return [];
        }

        var space = detail.IndexOf(' ', StringComparison.Ordinal);
        var list = space < 0 ? "" : detail[(space + 1)..];
        return [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    private sealed record Refusal(string Actor, string? Subject, string? Detail);
}
