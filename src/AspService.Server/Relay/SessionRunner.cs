using System.Net.WebSockets;
using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Server.Audit;
using AspService.Sessions;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Relay;

/// <summary>
/// Runs one paired session: records its start, pipes the two streams with back-pressure, ends it on a close
/// command, the maximum length or the idle timeout, and records the end reason and the bytes each way.
/// </summary>
public sealed class SessionRunner(TenantDbContext db, AuditLog audit, LiveSessions live, RelayNodeIdentity node, TimeProvider time, ILogger<SessionRunner> logger)
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
            using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, running.Token);
            var limits = WatchLimitsAsync(running, policy, start, both.Token);
            totals = await pipe.RunAsync(home, office, time, both.Token);
            await both.CancelAsync();
            await limits;
        }
        finally
        {
            live.Remove(session.Id);
        }

        var reason = running.ClosedBecause is { } because ? because
            : pipe.HomeEndedFirst == false ? EndReasons.OfficeClosed : EndReasons.HomeClosed;
        session.State = SessionState.Ended;
        session.EndedAt = time.GetUtcNow();
        session.EndReason = reason;
        session.BytesHomeToOffice = totals.HomeToOffice;
        session.BytesOfficeToHome = totals.OfficeToHome;
        session.Version++;
        // The request may be aborted by now; the record must still be written.
        await db.SaveChangesAsync(CancellationToken.None);
        await audit.WriteAsync(RelayAudit.Ended, session.UserId.ToString(), session.Id.ToString("D"),
            $"reason={reason} up={totals.HomeToOffice} down={totals.OfficeToHome}", session.SourceAddress, CancellationToken.None);
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
