using System.Net;
using System.Text.Json;
using AspService.Common;
using AspService.Data.Catalog;
using AspService.Data.Relay;
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
/// The session broker: a staff member at home, signed in (bearer token) and on their own home terminal (client
/// certificate), asks for their assigned office PC. The policy decides; an allowed request gets a single-use ticket
/// bound to tenant, user, home certificate and office terminal, and the office agent is told to connect.
/// </summary>
public sealed class Broker(
    TenantDbContext db,
    AgentTokenValidator tokens,
    PolicyStore policies,
    RelayNodeDirectory nodes,
    ControlHub controls,
    RelayNodeIdentity node,
    CatalogDbContext catalog,
    AuditLog audit,
    TunnelListener tunnels,
    TimeProvider time)
{
    public sealed record SessionRequest(Guid? OfficeTerminalId);

    public sealed record OfficeDto(Guid Id, string Name, string? Location, bool Online);

    public sealed record Denial(string Code, string Message);

    /// <param name="TunnelUrl">The relay node's raw data tunnel (decision 0075); null: WebSocket only.</param>
    public sealed record SessionOffer(
        Guid SessionId, string Ticket, string RelayUrl, DateTimeOffset ExpiresAt, RedirectionSettings Redirection,
        TimeSpan MaxSessionLength, TimeSpan IdleTimeout, string? TunnelUrl);

    /// <summary>
    /// Who is asking: the user of the bearer token (<paramref name="authorization"/>, the header's value) on their
    /// own, approved home terminal — or why not.
    /// </summary>
    public async Task<Outcome<Data.Identity.TenantUser>> CallerAsync(TerminalConnection terminal, string? authorization, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        if (terminal.Kind != TerminalKind.Home)
        {
            return Failures.Titled(StatusCodes.Status403Forbidden, "home-only", RelayText.Get("home_only"));
        }

        if (terminal.PendingApproval)
        {
            return Failures.Titled(StatusCodes.Status403Forbidden, "terminal-pending-approval", RelayText.Get("pending_approval"));
        }

        var user = await tokens.ValidateAsync(authorization ?? "", ct);
        if (user is null)
        {
            return Failures.Titled(StatusCodes.Status401Unauthorized, "token-invalid", RelayText.Get("token_invalid"));
        }

        var owner = await db.Terminals.AsNoTracking().Where(t => t.Id == terminal.TerminalId).Select(t => t.OwnerUserId).FirstOrDefaultAsync(ct);
        return owner == user.Id ? user : Failures.Titled(StatusCodes.Status403Forbidden, "not-owner", RelayText.Get("not_owner"));
    }

    public async Task<IReadOnlyList<OfficeDto>> OfficesAsync(Guid userId, CancellationToken ct)
    {
        var alive = await nodes.AliveAsync(ct);
        var offices = await AssignedAsync(userId).OrderBy(t => t.Name).ToListAsync(ct);
        return offices.Select(t => new OfficeDto(t.Id, t.Name, t.Location, IsOnline(t, alive))).ToList();
    }

    /// <summary>
    /// A session for the caller on their <paramref name="home"/> terminal, from <paramref name="client"/>: the policy
    /// decides; an allowed request gets a single-use ticket and the office agent is told to connect.
    /// </summary>
    public async Task<SessionRequestOutcome> RequestAsync(TerminalConnection home, Data.Identity.TenantUser user, SessionRequest request, IPAddress client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var assigned = AssignedAsync(user.Id);
        var offices = request.OfficeTerminalId is { } id
            ? await assigned.Where(t => t.Id == id).ToListAsync(ct)
            : await assigned.Take(2).ToListAsync(ct);
        if (offices.Count != 1)
        {
            return SessionRequestOutcome.Refused(request.OfficeTerminalId is null && offices.Count > 1
                ? Failures.Field("officeTerminalId", RelayText.Get("office_choose"))
                : Failures.Titled(StatusCodes.Status404NotFound, "terminal-not-found", RelayText.Get("office_not_assigned")));
        }

        var office = offices[0];
        var alive = await nodes.AliveAsync(ct);
        if (office.State != TerminalState.Active)
        {
            return SessionRequestOutcome.Refused(Failures.Titled(StatusCodes.Status409Conflict, "office-inactive", RelayText.Get("office_inactive")));
        }

        if (!IsOnline(office, alive))
        {
            return SessionRequestOutcome.Refused(Failures.Titled(StatusCodes.Status409Conflict, "office-offline", RelayText.Get("office_offline")));
        }

        var policy = await policies.CurrentAsync(ct);
        var decision = await DecideAsync(policy, user.Id, client, office, null, ct);
        var actor = user.Id.ToString();
        if (!decision.IsAllowed)
        {
            await audit.WriteAsync(RelayAudit.Denied, actor, office.Id.ToString("D"), "at=broker " + string.Join(',', decision.Codes), client.ToString(), ct);
            return new SessionRequestOutcome(null, null, decision);
        }

        var now = time.GetUtcNow();
        var ticket = SessionTicket.New();
        var session = new RelaySession
        {
            Id = Guid.NewGuid(),
            UserId = user.Id,
            HomeTerminalId = home.TerminalId,
            HomeCertificateSerial = home.Serial,
            OfficeTerminalId = office.Id,
            RelayNodeId = office.RelayNodeId!.Value,
            State = SessionState.Requested,
            SourceAddress = client.ToString(),
            RequestedAt = now,
            TicketHash = SessionTicket.Hash(ticket)!,
            TicketExpiresAt = now + SessionTicket.DefaultLifetime,
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(RelayAudit.Allowed, actor, session.Id.ToString("D"), $"home={home.TerminalId} office={office.Id}", client.ToString(), ct);
        await OfferAsync(session, ct);
        var tunnel = session.RelayNodeId == node.Id ? tunnels.PublicUrl : await nodes.TunnelUrlAsync(session.RelayNodeId, ct);
        return new SessionRequestOutcome(new SessionOffer(session.Id, ticket, alive[office.RelayNodeId!.Value],
            session.TicketExpiresAt, policy.Redirection, policy.MaxSessionLength, policy.IdleTimeout, tunnel), null, null);
    }

    public sealed record SessionStatus(string State, string? EndReason);

    /// <summary>One of the caller's own sessions (another user's, or another tenant's, is not found).</summary>
    public async Task<Outcome<SessionStatus>> StatusAsync(Guid userId, Guid sessionId, CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId && s.UserId == userId)
            .Select(s => new { s.State, s.EndReason }).FirstOrDefaultAsync(ct);
        return session is null
            ? SessionViews.NotFound
            : new SessionStatus(session.State.ToString().ToLowerInvariant(), session.EndReason);
    }

    /// <summary>The policy decision for a user and an office terminal, at the broker or again at pairing.</summary>
    public async Task<PolicyDecision> DecideAsync(TeleworkPolicy policy, Guid userId, IPAddress client, Terminal office, Guid? excludeSession, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(office);
        var now = time.GetUtcNow();
        var liveCount = await db.Sessions.CountAsync(s => s.UserId == userId && s.Id != excludeSession
            && (s.State == SessionState.Live || (s.State == SessionState.Requested && s.TicketExpiresAt > now)), ct);
        // Tokens are only ever issued after password + TOTP, and this request came with a home certificate.
        var request = new TeleworkRequest(client, liveCount, MfaUsed: true, HomeCertificatePresented: true, Reported(office.ReportedRedirection));
        return PolicyEvaluator.Evaluate(policy, request, now);
    }

    public static ReportedRedirection Reported(string? json)
    {
        try
        {
            return json is null ? ReportedRedirection.Unknown : JsonSerializer.Deserialize<ReportedRedirection>(json, ControlHub.Json) ?? ReportedRedirection.Unknown;
        }
        catch (JsonException)
        {
            return ReportedRedirection.Unknown;
        }
    }

    private IQueryable<Terminal> AssignedAsync(Guid userId) =>
        db.Terminals.AsNoTracking().Where(t => t.Kind == TerminalKind.Office
            && db.TerminalAssignments.Any(a => a.TerminalId == t.Id && a.UserId == userId));

    private static bool IsOnline(Terminal terminal, Dictionary<Guid, string> alive) =>
        terminal.Online && terminal.RelayNodeId is { } n && alive.ContainsKey(n);

    /// <summary>Tells the office agent to connect: directly when its control connection is here, else through the catalog.</summary>
    private async Task OfferAsync(RelaySession session, CancellationToken ct)
    {
        if (session.RelayNodeId == node.Id && controls.Find(db.Tenant.TenantId, session.OfficeTerminalId) is { } channel)
        {
            await channel.SendAsync(ControlHub.Offer(session.Id, tunnels.PublicUrl), ct);
            return;
        }

        catalog.RelayCommands.Add(new RelayCommand
        {
            TenantId = db.Tenant.TenantId,
            Kind = RelayCommandKind.OfferSession,
            TargetId = session.Id,
            TerminalId = session.OfficeTerminalId,
            Reason = "offer",
            CreatedAt = time.GetUtcNow(),
        });
        await catalog.SaveChangesAsync(ct);
    }
}
