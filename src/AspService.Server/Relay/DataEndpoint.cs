using System.Net;
using System.Net.WebSockets;
using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Policy;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Pki;
using AspService.Server.Sessions;
using AspService.Policy;
using AspService.Sessions;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Relay;

/// <summary>
/// A data stream: the home side presents its ticket, the office side its session id; they meet and are piped. The
/// checks and the pipe are the same whatever carries the stream — a WebSocket on the agent listener, or the raw
/// tunnel (<see cref="TunnelListener"/>, decision 0075); the rendezvous pairs any two streams.
/// </summary>
public sealed class DataEndpoint(
    TenantDbContext db,
    Rendezvous rendezvous,
    SessionRunner runner,
    Broker broker,
    PolicyStore policies,
    AuditLog audit,
    TimeProvider time)
{
    /// <summary>The WebSocket form (<c>GET /api/v1/relay/data</c> on the agent listener).</summary>
    public async Task<IResult> RunAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var terminal = http.Terminal()!;
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return Problems.Titled(StatusCodes.Status400BadRequest, "websocket-required", RelayText.Get("websocket_required"));
        }

        var ct = http.RequestAborted;
        var (session, problem) = await CheckAsync(terminal, http.Request.Headers["X-Relay-Ticket"].ToString(), http.Request.Query["session"],
            http.Connection.RemoteIpAddress ?? IPAddress.None, ct);
        if (problem is not null)
        {
            // A WebSocket client sees only the status of a refused upgrade: the header names the problem for the agent.
            if (ProblemName(problem) is { } name)
            {
                http.Response.Headers["X-Relay-Problem"] = name;
            }

            return problem;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        await using var stream = WebSocketStream.Create(socket, WebSocketMessageType.Binary, TimeSpan.FromSeconds(2));
        await PipeAsync(terminal, session!, stream, ct);
        return Results.Empty;
    }

    /// <summary>The problem's short name (the last segment of its type), as agents see it in <c>X-Relay-Problem</c>.</summary>
    public static string? ProblemName(IResult problem) =>
        problem is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult { ProblemDetails.Type: { } type } ? type[(type.LastIndexOf('/') + 1)..] : null;

    /// <summary>Whether this terminal may open this data stream now: the session it joins, or the problem why not.</summary>
    public Task<(RelaySession? Session, IResult? Problem)> CheckAsync(TerminalConnection terminal, string? ticket, string? sessionId, IPAddress client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        return terminal.Kind == TerminalKind.Home ? HomeAsync(terminal, ticket, client, ct) : OfficeAsync(terminal, sessionId, ct);
    }

    /// <summary>Waits for the other side (bounded) and pipes, or ends the session unpaired.</summary>
    public async Task PipeAsync(TerminalConnection terminal, RelaySession session, Stream stream, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(session);
        var isHome = terminal.Kind == TerminalKind.Home;
        var policy = await policies.CurrentAsync(ct);
        var meeting = await rendezvous.MeetAsync(db.Tenant.TenantId, session.Id, isHome, stream, PairingWait(session), time, ct);
        switch (meeting.Outcome)
        {
            case Rendezvous.Outcome.Paired:
                try
                {
                    var (home, office) = isHome ? (stream, meeting.Partner!.Stream) : (meeting.Partner!.Stream, stream);
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
    }

    private TimeSpan PairingWait(RelaySession session)
    {
        var left = session.TicketExpiresAt + RelayEndpoints.PairingWait - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>The home side: its ticket must be valid for this certificate, and the policy must still allow the session.</summary>
    private async Task<(RelaySession? Session, IResult? Problem)> HomeAsync(TerminalConnection terminal, string? ticket, IPAddress client, CancellationToken ct)
    {
        var hash = SessionTicket.Hash(ticket ?? "");
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
        var decision = office is null || office.State != TerminalState.Active ? null
            : await broker.DecideAsync(await policies.CurrentAsync(ct), session!.UserId, client, office, session.Id, ct);
        if (decision is not { IsAllowed: true })
        {
            await EndUnpairedAsync(session!.Id, EndReasons.PolicyDenied);
            await audit.WriteAsync(RelayAudit.Denied, session.UserId.ToString(), session.Id.ToString("D"),
                "at=pairing " + (decision is null ? "office_inactive" : string.Join(',', decision.Codes)), client.ToString(), ct);
            return (null, decision is null
                ? Problems.Titled(StatusCodes.Status409Conflict, "office-inactive", RelayText.Get("office_inactive"))
                : RelayEndpoints.Denied(decision));
        }

        return (session, null);
    }

    /// <summary>The office side: the session must be waiting for this very terminal.</summary>
    private async Task<(RelaySession? Session, IResult? Problem)> OfficeAsync(TerminalConnection terminal, string? sessionId, CancellationToken ct)
    {
        var session = Guid.TryParse(sessionId, out var id)
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
