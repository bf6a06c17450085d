using AspService.Common;
using AspService.Data.Relay;
using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Server.Hosting;
using AspService.Server.Relay;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Sessions;

/// <summary>Relayed sessions as admins (all, live and past, force-disconnect) and staff (their own) see them.</summary>
public sealed class SessionViews(TenantDbContext db, LiveSessions live)
{
    public sealed record SessionDto(
        Guid Id, Guid UserId, string? UserName, Guid HomeTerminalId, Guid OfficeTerminalId, string? OfficeName, Guid RelayNodeId, string State,
        DateTimeOffset RequestedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string? EndReason,
        long BytesHomeToOffice, long BytesOfficeToHome, string? SourceAddress);

    public sealed record SessionPage(int Total, IReadOnlyList<SessionDto> Items);

    /// <summary>Every session of the tenant, newest first, optionally of one user or in one state.</summary>
    public async Task<Outcome<SessionPage>> ListAsync(Guid? userId, string? state, int skip, int take, CancellationToken ct)
    {
        var query = db.Sessions.AsNoTracking();
        if (state is not null)
        {
            if (!Enum.TryParse<SessionState>(state, ignoreCase: true, out var s) || !Enum.IsDefined(s))
            {
                return Failures.Field("state", Text.Get("wrong_type"));
            }

            query = query.Where(x => x.State == s);
        }

        if (userId is { } user)
        {
            query = query.Where(x => x.UserId == user);
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(x => x.RequestedAt).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
        return new SessionPage(total, await ToDtosAsync(rows, ct));
    }

    public async Task<Outcome<SessionDto>> GetAsync(Guid id, CancellationToken ct)
    {
        var row = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return row is null ? NotFound : (await ToDtosAsync([row], ct))[0];
    }

    /// <summary>One staff member's own sessions, newest first.</summary>
    public async Task<SessionPage> MineAsync(Guid me, int skip, int take, CancellationToken ct)
    {
        var query = db.Sessions.AsNoTracking().Where(x => x.UserId == me);
        var rows = await query.OrderByDescending(x => x.RequestedAt).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200)).ToListAsync(ct);
        return new SessionPage(await query.CountAsync(ct), await ToDtosAsync(rows, ct));
    }

    private async Task<IReadOnlyList<SessionDto>> ToDtosAsync(IReadOnlyList<RelaySession> rows, CancellationToken ct)
    {
        var users = rows.Select(r => r.UserId).Distinct().ToList();
        var offices = rows.Select(r => r.OfficeTerminalId).Distinct().ToList();
        var names = await db.Users.IgnoreQueryFilters().Where(u => users.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var terminals = await db.Terminals.IgnoreQueryFilters().Where(t => offices.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        return rows.Select(r =>
        {
            // A live session piped by this node shows its bytes so far; the record has them once it ends.
            var totals = r.State == SessionState.Live ? live.Find(r.Id)?.Pipe.Totals : null;
            return new SessionDto(r.Id, r.UserId, names.GetValueOrDefault(r.UserId), r.HomeTerminalId, r.OfficeTerminalId,
                terminals.GetValueOrDefault(r.OfficeTerminalId), r.RelayNodeId, r.State.ToString().ToLowerInvariant(), r.RequestedAt, r.StartedAt,
                r.EndedAt, r.EndReason, totals?.HomeToOffice ?? r.BytesHomeToOffice, totals?.OfficeToHome ?? r.BytesOfficeToHome, r.SourceAddress);
        }).ToList();
    }

    /// <summary>The failure of a session id that is not this tenant's.</summary>
    public static Failure NotFound => Failures.Titled(StatusCodes.Status404NotFound, "session-not-found", RelayText.Get("session_not_found"));
}
