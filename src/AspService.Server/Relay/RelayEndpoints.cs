using System.Net.WebSockets;
using System.Text.Json;
using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Pki;
using AspService.Server.Sessions;
using AspService.Sessions;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Relay;

/// <summary>The relay on the agent listener (docs/relay-protocol.md): control connections, the broker, data streams.</summary>
public static class RelayEndpoints
{
    /// <summary>How long the first data stream of a session waits for the second.</summary>
    public static readonly TimeSpan PairingWait = TimeSpan.FromSeconds(60);

    public static IEndpointRouteBuilder MapRelayEndpoints(this IEndpointRouteBuilder app)
    {
        var relay = app.MapTerminalGroup("/api/v1/relay").WithTags("Relay (mTLS)");
        relay.MapGet("/control", (HttpContext http, ControlEndpoint control) => control.RunAsync(http))
            .WithSummary("Office agent: control connection (WebSocket)");
        relay.MapGet("/offices", async (HttpContext http, Broker broker, CancellationToken ct) =>
        {
            var (user, problem) = await broker.CallerAsync(http, ct);
            return problem ?? TypedResults.Ok(await broker.OfficesAsync(user!.Id, ct));
        }).WithSummary("Home agent: the office terminals assigned to the signed-in user");
        relay.MapPost("/sessions", async (HttpContext http, Broker broker, CancellationToken ct) =>
        {
            var (user, problem) = await broker.CallerAsync(http, ct);
            return problem ?? await JsonBody.WithAsync<Broker.SessionRequest>(http, b => broker.RequestAsync(http, user!, b, ct), ct);
        }).WithSummary("Home agent: request a session (policy check, single-use ticket)");
        relay.MapGet("/data", (HttpContext http, DataEndpoint data) => data.RunAsync(http))
            .WithSummary("Either agent: a session's data stream (WebSocket)");
        return app;
    }
}

/// <summary>A data stream: the home side presents its ticket, the office side its session id; they meet and are piped.</summary>
public sealed class DataEndpoint(
    TenantDbContext db,
    Rendezvous rendezvous,
    SessionRunner runner,
    Broker broker,
    PolicyStore policies,
    AuditLog audit,
    TimeProvider time)
{
    public async Task<IResult> RunAsync(HttpContext http)
    {
        var terminal = http.Terminal()!;
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problems.Titled(StatusCodes.Status400BadRequest, "websocket-required", RelayText.Get("websocket_required"));
        }

        var ct = http.RequestAborted;
        var isHome = terminal.Kind == TerminalKind.Home;
        var (session, problem) = isHome ? await HomeAsync(http, terminal, ct) : await OfficeAsync(http, terminal, ct);
        if (problem is not null)
        {
            // A WebSocket client sees only the status of a refused upgrade: the header names the problem for the agent.
            if (problem is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult { ProblemDetails.Type: { } type })
            {
                http.Response.Headers["X-Relay-Problem"] = type[(type.LastIndexOf('/') + 1)..];
            }

            return problem;
        }

        var policy = await policies.CurrentAsync(ct);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        await using var stream = WebSocketStream.Create(socket, WebSocketMessageType.Binary, TimeSpan.FromSeconds(2));
        var meeting = await rendezvous.MeetAsync(db.Tenant.TenantId, session!.Id, isHome, stream, PairingWait(session), time, ct);
        switch (meeting.Outcome)
        {
            case Rendezvous.Outcome.Paired:
                try
                {
                    var (home, office) = isHome ? (stream, meeting.Partner!.Stream) : (meeting.Partner!.Stream, (Stream)stream);
                    await runner.RunAsync(session.Id, home, office, policy, ct);
                }
                finally
                {
                    meeting.Partner!.Release();
                }

                break;
            case Rendezvous.Outcome.TimedOut:
                await EndUnpairedAsync(session.Id, EndReasons.OfficeTimeout);
                break;
        }

        return Results.Empty;
    }

    private TimeSpan PairingWait(RelaySession session)
    {
        var left = session.TicketExpiresAt + RelayEndpoints.PairingWait - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>The home side: its ticket must be valid for this certificate, and the policy must still allow the session.</summary>
    private async Task<(RelaySession? Session, IResult? Problem)> HomeAsync(HttpContext http, TerminalConnection terminal, CancellationToken ct)
    {
        var hash = SessionTicket.Hash(http.Request.Headers["X-Relay-Ticket"].ToString());
        var session = hash is null ? null : await db.Sessions.FirstOrDefaultAsync(s => s.TicketHash == hash, ct);
        var stored = session is null ? null
            : new StoredTicket(new TicketBinding(db.Tenant.TenantId, session.UserId, session.HomeCertificateSerial, session.OfficeTerminalId),
                session.TicketExpiresAt, session.TicketUsedAt);
        var refusal = hash is null ? TicketRefusal.Malformed : SessionTicket.Check(stored, db.Tenant.TenantId, terminal.Serial, null, time.GetUtcNow());
        if (refusal != TicketRefusal.None)
        {
            return (null, Problems.Titled(StatusCodes.Status403Forbidden, "ticket-invalid", RelayText.Get("ticket_invalid", refusal)));
        }

        // Single use, even when two streams race with one ticket.
        var now = time.GetUtcNow();
        var claimed = await db.Sessions.Where(s => s.Id == session!.Id && s.TicketUsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.TicketUsedAt, now), ct);
        if (claimed == 0)
        {
            return (null, Problems.Titled(StatusCodes.Status403Forbidden, "ticket-invalid", RelayText.Get("ticket_invalid", TicketRefusal.AlreadyUsed)));
        }

        // The relay re-checks the policy at pairing time: hours, networks, concurrency and the office PC's report may have changed.
        var office = await db.Terminals.AsNoTracking().FirstOrDefaultAsync(t => t.Id == session!.OfficeTerminalId, ct);
        var client = http.Connection.RemoteIpAddress ?? System.Net.IPAddress.None;
        var decision = office is null || office.State != TerminalState.Active ? null
            : await broker.DecideAsync(await policies.CurrentAsync(ct), session!.UserId, client, office, session.Id, ct);
        if (decision is not { IsAllowed: true })
        {
            await EndUnpairedAsync(session!.Id, EndReasons.PolicyDenied);
            await audit.WriteAsync(RelayAudit.Denied, session.UserId.ToString(), session.Id.ToString("D"),
                "at=pairing " + (decision is null ? "office_inactive" : string.Join(',', decision.Codes)), client.ToString(), ct);
            return (null, decision is null
                ? Problems.Titled(StatusCodes.Status409Conflict, "office-inactive", RelayText.Get("office_inactive"))
                : Broker.Denied(decision));
        }

        return (session, null);
    }

    /// <summary>The office side: the session must be waiting for this very terminal.</summary>
    private async Task<(RelaySession? Session, IResult? Problem)> OfficeAsync(HttpContext http, TerminalConnection terminal, CancellationToken ct)
    {
        var session = Guid.TryParse(http.Request.Query["session"], out var id)
            ? await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct)
            : null;
        return session is { State: SessionState.Requested } && session.OfficeTerminalId == terminal.TerminalId && !terminal.PendingApproval
            ? (session, null)
            : (null, Problems.Titled(StatusCodes.Status404NotFound, "session-not-waiting", RelayText.Get("session_not_waiting")));
    }

    private async Task EndUnpairedAsync(Guid sessionId, string reason)
    {
        var now = time.GetUtcNow();
        await db.Sessions.Where(s => s.Id == sessionId && s.State == SessionState.Requested).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.State, SessionState.Ended).SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), CancellationToken.None);
    }
}
