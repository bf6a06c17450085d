using AspService.Data.Relay;
using AspService.Data.Sessions;
using AspService.Data.TenantData;
using AspService.Server.Audit;
using AspService.Server.Relay;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Sessions;

/// <summary>
/// Asks every relay node to close the session (each polls its commands every second; the node holding it closes
/// it with the end reason <see cref="EndReasons.ByAdmin"/>) and audits the request. HTTP-free: the API endpoint and
/// the administrators' page both call it. The caller has already checked that the actor is an administrator.
/// </summary>
public sealed class DisconnectSession(TenantDbContext db, RelayCommands relay, AuditLog audit)
{
    public async Task<DisconnectSessionOutcome> RunAsync(DisconnectSessionCommand command, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var state = await db.Sessions.AsNoTracking().Where(x => x.Id == command.SessionId).Select(x => (SessionState?)x.State).FirstOrDefaultAsync(ct);
        if (state is null)
        {
            return new(DisconnectSessionError.NotFound);
        }

        if (state == SessionState.Ended)
        {
            return new(DisconnectSessionError.NotLive);
        }

        await relay.EnqueueAsync(db.Tenant.TenantId, RelayCommandKind.CloseSession, command.SessionId, EndReasons.ByAdmin, ct);
        await audit.WriteAsync(RelayAudit.Disconnected, actor.Id, command.SessionId.ToString("D"), null, actor.Client, ct);
        return new(null);
    }
}
