using System.Net.WebSockets;
using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Server.Audit;
using AspService.Policy;
using AspService.Sessions;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Relay;

/// <summary>
/// Runs one paired session: records its start, pipes the two streams with back-pressure, ends it on a close
/// command, the maximum length or the idle timeout, and records the end reason and the bytes each way.
/// </summary>
public sealed class SessionRunner(TenantDbContext db, Tenancy.TenantDbContextFactory contexts, AuditLog audit, LiveSessions live, RelayNodeIdentity node,
    TimeProvider time, ILogger<SessionRunner> logger, ILogger<AuditLog> auditLogger, Observability.ServiceMetrics metrics)
{
    public async Task RunAsync(Guid sessionId, Stream home, Stream office, TeleworkPolicy policy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var session = await db.Sessions.FirstAsync(s => s.Id == sessionId, ct);
        var start = time.GetUtcNow();
        session.State = SessionState.Live;
        session.StartedAt = start;
        session.RelayNodeId = node.Id;
        session.Version++;
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(RelayAudit.Started, session.UserId.ToString(), session.Id.ToString("D"),
            $"home={session.HomeTerminalId} office={session.OfficeTerminalId}", session.SourceAddress, ct);

        var pipe = new StreamPipe();
        using var running = new LiveSession(session.Id, db.Tenant.TenantId, session.UserId, session.HomeTerminalId, session.OfficeTerminalId, pipe);
        live.Add(running);
        PipeTotals totals;
        try
        {
            // Ending from outside (a command, a limit) closes both WebSockets with the reason, so each agent learns why;
            // cancelling a pending WebSocket read would abort the connection instead. Two seconds later it is cut.
            using var hard = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var watch = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var closing = running.Token.Register(() =>
            {
                _ = AnnounceAndCloseAsync(session.Id, home, office, running.ClosedBecause);
                hard.CancelAfter(TimeSpan.FromSeconds(2));
            });
            var limits = WatchLimitsAsync(running, policy, start, watch.Token);
            totals = await pipe.RunAsync(home, office, time, hard.Token);
            await watch.CancelAsync();
            await limits;
        }
        finally
        {
            live.Remove(session.Id);
        }

        var reason = running.ClosedBecause is { } because ? because
            : pipe.HomeEndedFirst == false ? EndReasons.OfficeClosed : EndReasons.HomeClosed;
        var ended = time.GetUtcNow();
        metrics.SessionEnded(totals.HomeToOffice, totals.OfficeToHome);
        // The request may be aborted by now and the database away for a while: the record must still be written, each
        // attempt on a fresh context (the session's own may hold a connection that died with the database).
        await DurableWrite.UntilWrittenAsync(async () =>
        {
            await using var fresh = contexts.Create(db.Tenant);
            await fresh.Sessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.State, SessionState.Ended).SetProperty(x => x.EndedAt, ended).SetProperty(x => x.EndReason, reason)
                .SetProperty(x => x.BytesHomeToOffice, totals.HomeToOffice).SetProperty(x => x.BytesOfficeToHome, totals.OfficeToHome)
                .SetProperty(x => x.Version, x => x.Version + 1), CancellationToken.None);
        }, logger, "session end");
        await DurableWrite.UntilWrittenAsync(async () =>
        {
            await using var fresh = contexts.Create(db.Tenant);
            await new AuditLog(fresh, time, auditLogger).WriteAsync(RelayAudit.Ended, session.UserId.ToString(), session.Id.ToString("D"),
                $"reason={reason} up={totals.HomeToOffice} down={totals.OfficeToHome}", session.SourceAddress, CancellationToken.None);
        }, logger, "session end audit");
        logger.LogInformation("Session {Session} of tenant {Tenant} ended: {Reason}", session.Id, db.Tenant.TenantId, reason);
        await CloseQuietlyAsync(home);
        await CloseQuietlyAsync(office);
    }

    /// <summary>Checks the policy's limits once a second (on the service's clock) and ends the session when one is reached.</summary>
    private async Task WatchLimitsAsync(LiveSession session, TeleworkPolicy policy, DateTimeOffset start, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var status = SessionLimits.Check(policy, start, session.Pipe.LastActivity, time.GetUtcNow());
                if (status.MustEnd)
                {
                    session.Close(status.Reached.HasFlag(SessionLimitReasons.MaxLengthReached) ? EndReasons.MaxLength : EndReasons.IdleTimeout);
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended first.
        }
    }

    /// <summary>
    /// Ends both streams with the reason. The raw tunnel cannot carry it, so the record names it first (its own short
    /// context: the session's is busy), for the home agent to read once its stream has closed.
    /// </summary>
    private async Task AnnounceAndCloseAsync(Guid sessionId, Stream home, Stream office, string? reason)
    {
        try
        {
            await using var early = contexts.Create(db.Tenant);
            await early.Sessions.Where(s => s.Id == sessionId && s.State == SessionState.Live)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndReason, reason), CancellationToken.None);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Session {Session}: end reason not recorded ahead of the close", sessionId);
        }

        await Task.WhenAll(CloseOutputAsync(home, reason), CloseOutputAsync(office, reason));
    }

    /// <summary>
    /// A WebSocket gets a close frame naming the reason; the raw tunnel can only end its direction (close_notify) —
    /// its agent learns the reason from the session record, not from the stream.
    /// </summary>
    private static async Task CloseOutputAsync(Stream stream, string? reason)
    {
        try
        {
            switch (stream)
            {
                case WebSocketStream { WebSocket: { State: WebSocketState.Open or WebSocketState.CloseReceived } socket }:
                    await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, reason, CancellationToken.None);
                    break;
                case System.Net.Security.SslStream tls:
                    await tls.ShutdownAsync();
                    break;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // Already closing or gone.
        }
    }

    private static async Task CloseQuietlyAsync(Stream stream)
    {
        try
        {
            if (stream is WebSocketStream { WebSocket: { State: WebSocketState.Open or WebSocketState.CloseReceived } socket })
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone already.
        }
    }
}
