using System.Security.Claims;
using AspService.Data.Relay;
using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Relay;
using AspService.Server.Tenancy;
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

    public async Task<IResult> ListAsync(Guid? userId, string? state, int skip, int take, CancellationToken ct)
    {
        var query = db.Sessions.AsNoTracking();
        if (state is not null)
        {
            if (!Enum.TryParse<SessionState>(state, ignoreCase: true, out var s) || !Enum.IsDefined(s))
            {
                return Problems.Field("state", Text.Get("wrong_type"));
            }

            query = query.Where(x => x.State == s);
        }

        if (userId is { } user)
        {
            query = query.Where(x => x.UserId == user);
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(x => x.RequestedAt).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
        return TypedResults.Ok(new SessionPage(total, await ToDtosAsync(rows, ct)));
    }

    public async Task<IResult> GetAsync(Guid id, CancellationToken ct)
    {
        var row = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        return row is null ? NotFound() : TypedResults.Ok((await ToDtosAsync([row], ct))[0]);
    }

    public async Task<SessionPage> MineAsync(ClaimsPrincipal user, int skip, int take, CancellationToken ct)
    {
        var me = Guid.Parse(TenantUsersAdmin.Actor(user));
        var query = db.Sessions.AsNoTracking().Where(x => x.UserId == me);
        var rows = await query.OrderByDescending(x => x.RequestedAt).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200)).ToListAsync(ct);
        return new SessionPage(await query.CountAsync(ct), await ToDtosAsync(rows, ct));
    }

    /// <summary>The API's answer to a force-disconnect (the use case <see cref="DisconnectSession"/> does the work).</summary>
    public static async Task<IResult> DisconnectAsync(DisconnectSession disconnect, ClaimsPrincipal admin, Guid id, string? client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(disconnect);
        ArgumentNullException.ThrowIfNull(admin);
        var actor = Actor.Of(admin, client);
        var outcome = actor is null ? new DisconnectSessionOutcome(DisconnectSessionError.NotFound)
            : await disconnect.RunAsync(new DisconnectSessionCommand(id), actor, ct);
        return outcome.Error switch
        {
            null => TypedResults.Accepted($"/api/v1/sessions/{id}"),
            DisconnectSessionError.NotLive => Problems.Titled(StatusCodes.Status409Conflict, "session-not-live", RelayText.Get("session_not_live")),
            _ => NotFound(),
        };
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

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound() =>
        Problems.Titled(StatusCodes.Status404NotFound, "session-not-found", RelayText.Get("session_not_found"));
}

public static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapTenantGroup("/api/v1/sessions").WithTags("Sessions").RequireAuthorization(TenantAuth.AdminPolicy);
        admin.MapGet("/", (SessionViews v, Guid? userId, string? state, int? skip, int? take, CancellationToken ct) =>
            v.ListAsync(userId, state, skip ?? 0, take ?? 50, ct)).WithSummary("Live and past relayed sessions");
        admin.MapGet("/{id:guid}", (SessionViews v, Guid id, CancellationToken ct) => v.GetAsync(id, ct));
        admin.MapPost("/{id:guid}/disconnect", (HttpContext http, DisconnectSession disconnect, Guid id, CancellationToken ct) =>
            SessionViews.DisconnectAsync(disconnect, http.User, id, TenantSignIn.Client(http), ct)).WithSummary("Force-disconnect a live session (closed within 2 s)");
        app.MapTenantGroup("/api/v1/me/sessions").WithTags("Sessions").RequireAuthorization(TenantAuth.UserPolicy)
            .MapGet("/", async (HttpContext http, SessionViews v, int? skip, int? take, CancellationToken ct) =>
                TypedResults.Ok(await v.MineAsync(http.User, skip ?? 0, take ?? 50, ct))).WithSummary("My session history");
        return app;
    }
}
