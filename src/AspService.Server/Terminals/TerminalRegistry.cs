using AspService.Common;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Terminals;

/// <summary>The tenant admin's registry of office and home terminals, and staff's view of their own.</summary>
public sealed class TerminalRegistry(TenantDbContext db, TerminalIssuer issuer, AuditLog audit, TimeProvider time, Relay.RelayCommands relay, Relay.RelayNodeDirectory nodes)
{
    public sealed record CreateRequest(string? Kind, string? Name, string? Location, Guid? OwnerUserId);

    public sealed record ChangeRequest(string? Name, string? Location);

    public sealed record AssignRequest(Guid? UserId);

    public sealed record MyTerminals(IReadOnlyList<TerminalDto> Office, IReadOnlyList<TerminalDto> Home);

    /// <summary>The registry filtered by kind, state and a search term (name or location); an unknown kind or state is a field error.</summary>
    public async Task<Outcome<IReadOnlyList<TerminalDto>>> ListAsync(string? kind, string? state, string? q, CancellationToken ct)
    {
        var query = db.Terminals.AsNoTracking();
        if (kind is not null)
        {
            if (TerminalDto.ParseKind(kind) is not { } k)
            {
                return Failures.Field("kind", TerminalText.Get("kind_invalid"));
            }

            query = query.Where(t => t.Kind == k);
        }

        if (state is not null)
        {
            if (TerminalDto.ParseState(state) is not { } s)
            {
                return Failures.Field("state", Text.Get("wrong_type"));
            }

            query = query.Where(t => t.State == s);
        }

        return Outcome.Done(await ListAsync(query, q, ct));
    }

    /// <summary>Every terminal of the tenant (at most 1,000), office first, by name; HTTP-free for the console.</summary>
    public Task<IReadOnlyList<TerminalDto>> ListAllAsync(string? q, CancellationToken ct) => ListAsync(db.Terminals.AsNoTracking(), q, ct);

    private async Task<IReadOnlyList<TerminalDto>> ListAsync(IQueryable<Terminal> query, string? q, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            query = query.Where(t => t.Name.Contains(term) || (t.Location != null && t.Location.Contains(term)));
        }

        var rows = await query.OrderBy(t => t.Kind).ThenBy(t => t.Name).Take(1000).ToListAsync(ct);
        return await ToDtosAsync(rows, detail: false, ct);
    }

    /// <summary>One terminal with every certificate and its assigned staff; null when it is not this tenant's.</summary>
    public async Task<TerminalDto?> FindAsync(Guid id, CancellationToken ct)
    {
        var terminal = await db.Terminals.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        return terminal is null ? null : (await ToDtosAsync([terminal], detail: true, ct))[0];
    }

    /// <summary>Registers a terminal ahead of the PC itself: unenrolled until an agent uses a token that names it (audited).</summary>
    public async Task<TerminalOutcome> CreateAsync(CreateRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        var kind = TerminalDto.ParseKind(request.Kind);
        if (kind is null)
        {
            errors.Add("kind", TerminalText.Get("kind_invalid"));
        }

        var name = errors.Required("name", request.Name, 100);
        var location = errors.Optional("location", request.Location, 100);
        if (kind == TerminalKind.Home && (request.OwnerUserId is not { } owner || !await db.Users.AnyAsync(u => u.Id == owner && u.DisabledAt == null, ct)))
        {
            errors.Add("ownerUserId", TerminalText.Get(request.OwnerUserId is null ? "owner_required" : "owner_invalid"));
        }

        if (errors.Any)
        {
            return TerminalOutcome.Invalid(errors.ToDictionary());
        }

        var terminal = new Terminal
        {
            Id = Guid.NewGuid(),
            Kind = kind!.Value,
            Name = name!,
            Location = location,
            OwnerUserId = kind == TerminalKind.Home ? request.OwnerUserId : null,
            State = TerminalState.Unenrolled,
            CreatedAt = time.GetUtcNow(),
        };
        db.Terminals.Add(terminal);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(TerminalAudit.Created, Who(actor), terminal.Id.ToString("D"), $"kind={TerminalDto.KindName(terminal.Kind)}", actor.Client, ct);
        return TerminalOutcome.Done((await ToDtosAsync([terminal], detail: true, ct))[0]);
    }

    /// <summary>Rename or move: a field left out (null) keeps its value, an empty location clears it (audited).</summary>
    public Task<TerminalOutcome> ChangeAsync(Guid id, ChangeRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var name = request.Name is null ? null : errors.Required("name", request.Name, 100);
        var location = errors.Optional("location", request.Location, 100);
        return errors.Any
            ? Task.FromResult(TerminalOutcome.Invalid(errors.ToDictionary()))
            : UpdateAsync(actor, id, TerminalAudit.Changed, t =>
            {
                t.Name = name ?? t.Name;
                t.Location = request.Location is null ? t.Location : location;
                return null;
            }, ct);
    }

    /// <summary>A home device its owner enrolled may connect from now on (audited).</summary>
    public Task<TerminalOutcome> ApproveAsync(Guid id, Actor actor, CancellationToken ct) =>
        UpdateAsync(actor, id, TerminalAudit.Approved, t =>
        {
            if (t.State != TerminalState.PendingApproval)
            {
                return TerminalError.NotPending;
            }

            t.State = TerminalState.Active;
            t.ApprovedAt = time.GetUtcNow();
            return null;
        }, ct);

    /// <summary>Refused at its next handshake, live sessions closed; the certificates stay, so it can be enabled again (audited).</summary>
    public async Task<TerminalOutcome> DisableAsync(Guid id, Actor actor, CancellationToken ct)
    {
        var outcome = await UpdateAsync(actor, id, TerminalAudit.Disabled, t =>
        {
            t.State = TerminalState.Disabled;
            t.Online = false;
            return null;
        }, ct);
        if (outcome.Succeeded)
        {
            await CloseLiveAsync(id, "terminal_disabled", ct);
        }

        return outcome;
    }

    /// <summary>A disabled terminal back to the state its certificates and approval allow (audited).</summary>
    public async Task<TerminalOutcome> EnableAsync(Guid id, Actor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var live = await db.TerminalCertificates.AnyAsync(c => c.TerminalId == id && c.RevokedAt == null && c.NotAfter > now, ct);
        return await UpdateAsync(actor, id, TerminalAudit.Enabled, t =>
        {
            if (t.State == TerminalState.Disabled)
            {
                t.State = !live ? TerminalState.Unenrolled : t.ApprovedAt is null ? TerminalState.PendingApproval : TerminalState.Active;
            }

            return null;
        }, ct);
    }

    /// <summary>
    /// Every certificate revoked (audited), live sessions and the control connection closed, the
    /// terminal unenrolled (a disabled one stays disabled). Null when the terminal is not this tenant's.
    /// </summary>
    public async Task<TerminalDto?> RevokeAsync(Guid id, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var terminal = await db.Terminals.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (terminal is null)
        {
            return null;
        }

        await issuer.RevokeAllAsync(id, "revoked_by_admin", Who(actor), actor.Client, ct);
        await CloseLiveAsync(id, "terminal_revoked", ct);
        terminal.State = terminal.State == TerminalState.Disabled ? TerminalState.Disabled : TerminalState.Unenrolled;
        terminal.Online = false;
        terminal.Version++;
        await db.SaveChangesAsync(ct); // a lost race on Version answers 409 (BadRequestHandler)
        return (await ToDtosAsync([terminal], detail: true, ct))[0];
    }

    /// <summary>Deleted: certificates revoked, live sessions closed, assignments removed; the audit history stays (audited).</summary>
    public async Task<TerminalOutcome> DeleteAsync(Guid id, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var terminal = await db.Terminals.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (terminal is null)
        {
            return TerminalOutcome.Failed(TerminalError.NotFound);
        }

        var before = (await ToDtosAsync([terminal], detail: false, ct))[0];
        var who = Who(actor);
        await issuer.RevokeAllAsync(id, "terminal_deleted", who, actor.Client, ct);
        await CloseLiveAsync(id, "terminal_revoked", ct);
        await db.TerminalAssignments.Where(a => a.TerminalId == id).ExecuteDeleteAsync(ct);
        terminal.DeletedAt = time.GetUtcNow();
        terminal.Online = false;
        terminal.Version++;
        await db.SaveChangesAsync(ct); // a lost race on Version answers 409 (BadRequestHandler)

        await audit.WriteAsync(TerminalAudit.Deleted, who, id.ToString("D"), null, actor.Client, ct);
        return TerminalOutcome.Done(before);
    }

    /// <summary>A staff member may connect to this office terminal; assigning twice changes nothing (audited once).</summary>
    public async Task<TerminalOutcome> AssignAsync(Guid id, Guid? userId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var terminal = await db.Terminals.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (terminal is null)
        {
            return TerminalOutcome.Failed(TerminalError.NotFound);
        }

        if (terminal.Kind != TerminalKind.Office)
        {
            return TerminalOutcome.Failed(TerminalError.OfficeOnly);
        }

        if (userId is not { } user || !await db.Users.AnyAsync(u => u.Id == user, ct))
        {
            return TerminalOutcome.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["userId"] = [TerminalText.Get("user_invalid")] });
        }

        if (!await db.TerminalAssignments.AnyAsync(a => a.TerminalId == id && a.UserId == user, ct))
        {
            db.TerminalAssignments.Add(new TerminalAssignment { TerminalId = id, UserId = user, AssignedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(ct);
            await audit.WriteAsync(TerminalAudit.Assigned, Who(actor), id.ToString("D"), $"user={user}", actor.Client, ct);
        }

        return TerminalOutcome.Done((await ToDtosAsync([terminal], detail: true, ct))[0]);
    }

    /// <summary>The staff member can no longer connect to this terminal; removing a missing assignment changes nothing.</summary>
    public async Task<TerminalOutcome> UnassignAsync(Guid id, Guid userId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var terminal = await db.Terminals.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (terminal is null)
        {
            return TerminalOutcome.Failed(TerminalError.NotFound);
        }

        if (await db.TerminalAssignments.Where(a => a.TerminalId == id && a.UserId == userId).ExecuteDeleteAsync(ct) > 0)
        {
            await audit.WriteAsync(TerminalAudit.Unassigned, Who(actor), id.ToString("D"), $"user={userId}", actor.Client, ct);
        }

        return TerminalOutcome.Done((await ToDtosAsync([terminal], detail: true, ct))[0]);
    }

    /// <summary>Staff: the office terminals assigned to them and the home devices they own.</summary>
    public async Task<MyTerminals> MineAsync(Guid me, CancellationToken ct)
    {
        var office = await db.Terminals.AsNoTracking()
            .Where(t => t.Kind == TerminalKind.Office && db.TerminalAssignments.Any(a => a.TerminalId == t.Id && a.UserId == me))
            .OrderBy(t => t.Name).ToListAsync(ct);
        var home = await db.Terminals.AsNoTracking().Where(t => t.Kind == TerminalKind.Home && t.OwnerUserId == me).OrderBy(t => t.Name).ToListAsync(ct);
        return new MyTerminals(await ToDtosAsync(office, detail: false, ct), await ToDtosAsync(home, detail: false, ct));
    }

    /// <summary>Live sessions and the control connection of this terminal close on whichever relay node holds them.</summary>
    private Task CloseLiveAsync(Guid terminalId, string reason, CancellationToken ct) =>
        relay.EnqueueAsync(db.Tenant.TenantId, Data.Relay.RelayCommandKind.CloseTerminal, terminalId, reason, ct);

    private async Task<TerminalOutcome> UpdateAsync(Actor actor, Guid id, string action, Func<Terminal, TerminalError?> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var terminal = await db.Terminals.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (terminal is null)
        {
            return TerminalOutcome.Failed(TerminalError.NotFound);
        }

        if (change(terminal) is { } refusal)
        {
            return TerminalOutcome.Failed(refusal);
        }

        terminal.Version++;
        await db.SaveChangesAsync(ct); // a lost race on Version answers 409 (BadRequestHandler)
        await audit.WriteAsync(action, Who(actor), id.ToString("D"), null, actor.Client, ct);
        return TerminalOutcome.Done((await ToDtosAsync([terminal], detail: true, ct))[0]);
    }

    /// <summary>The audit log's actor: the user, or "system" for a caller without one.</summary>
    private static string Who(Actor actor) => actor.UserId == Guid.Empty ? AuditLog.System : actor.Id;

    private async Task<IReadOnlyList<TerminalDto>> ToDtosAsync(IReadOnlyList<Terminal> terminals, bool detail, CancellationToken ct)
    {
        var ids = terminals.Select(t => t.Id).ToList();
        var now = time.GetUtcNow();
        var certificates = await db.TerminalCertificates.AsNoTracking()
            .Where(c => ids.Contains(c.TerminalId) && (detail || (c.RevokedAt == null && c.NotAfter > now))).ToListAsync(ct);
        var assignees = new Dictionary<Guid, List<AssigneeDto>>();
        if (detail)
        {
            var rows = await (from a in db.TerminalAssignments
                              join u in db.Users on a.UserId equals u.Id
                              where ids.Contains(a.TerminalId)
                              select new { a.TerminalId, u.Id, u.Email, u.DisplayName }).ToListAsync(ct);
            foreach (var row in rows)
            {
                (assignees.TryGetValue(row.TerminalId, out var list) ? list : assignees[row.TerminalId] = []).Add(new AssigneeDto(row.Id, row.Email, row.DisplayName));
            }
        }

        // Online only while the relay node holding the control connection is alive: a vanished node takes its terminals offline.
        var alive = terminals.Any(t => t.Online) ? await nodes.AliveAsync(ct) : [];
        return terminals.Select(t => TerminalDto.From(t, certificates.Where(c => c.TerminalId == t.Id),
            detail ? assignees.GetValueOrDefault(t.Id) ?? [] : null, t.Online && t.RelayNodeId is { } n && alive.ContainsKey(n))).ToList();
    }

    /// <summary>The failure of a terminal id that is not this tenant's.</summary>
    public static Failure NotFound => Failures.Titled(StatusCodes.Status404NotFound, "terminal-not-found", TerminalText.Get("terminal_not_found"));
}
