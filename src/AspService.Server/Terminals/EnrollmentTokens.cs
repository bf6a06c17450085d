using System.Security.Cryptography;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Policy;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Pki;
using AspService.Server.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using AspService.Common;

namespace AspService.Server.Terminals;

/// <summary>
/// One-time enrollment tokens: 256 random bits shown once; the tenant database keeps only the SHA-256, so a
/// token of another tenant is simply unknown here.
/// </summary>
public sealed class EnrollmentTokens(TenantDbContext db, AuditLog audit, TimeProvider time, PolicyStore policies, IOptions<PkiOptions> options)
{
    public sealed record CreateRequest(string? Kind, int? TtlMinutes, string? Name, Guid? TerminalId, Guid? OwnerUserId);

    public sealed record SelfRequest(int? TtlMinutes, string? Name);

    /// <summary>
    /// By a tenant admin: office or home, optionally for an existing terminal (re-enrollment) or a named owner. The token (shown once; only its hash is stored) or the field errors, keyed by the API's
    /// names (kind, ttlMinutes, name, terminalId, ownerUserId) in the request's language.
    /// </summary>
    public async Task<EnrollmentTokenOutcome> IssueAsync(CreateRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        var kind = TerminalDto.ParseKind(request.Kind);
        if (kind is null)
        {
            errors.Add("kind", TerminalText.Get("kind_invalid"));
        }

        var lifetime = Lifetime(request.TtlMinutes, errors);
        var name = errors.Optional("name", request.Name, 100);
        Terminal? terminal = null;
        if (request.TerminalId is { } terminalId)
        {
            terminal = await db.Terminals.AsNoTracking().FirstOrDefaultAsync(t => t.Id == terminalId, ct);
            if (terminal is null)
            {
                errors.Add("terminalId", TerminalText.Get("terminal_not_found"));
            }
            else if (kind is not null && terminal.Kind != kind)
            {
                errors.Add("terminalId", TerminalText.Get("kind_mismatch"));
            }
            else if (terminal.State == TerminalState.Disabled)
            {
                errors.Add("terminalId", TerminalText.Get("terminal_disabled"));
            }
        }

        var owner = request.OwnerUserId ?? terminal?.OwnerUserId;
        if (kind == TerminalKind.Home && owner is null)
        {
            errors.Add("ownerUserId", TerminalText.Get("owner_required"));
        }
        else if (owner is { } ownerId && (kind == TerminalKind.Office || !await UsableUserAsync(ownerId, ct)))
        {
            errors.Add("ownerUserId", TerminalText.Get(kind == TerminalKind.Office ? "kind_invalid" : "owner_invalid"));
        }

        if (errors.Any)
        {
            return new EnrollmentTokenOutcome(null, errors.ToDictionary());
        }

        var created = await IssueAsync(kind!.Value, lifetime, name, terminal?.Id, owner, requiresApproval: false,
            actor.UserId == Guid.Empty ? AuditLog.System : actor.Id, actor.Client, ct);
        return new EnrollmentTokenOutcome(created, null);
    }

    /// <summary>By staff, for their own home device, only when the policy allows self-registration.</summary>
    public async Task<Outcome<CreatedTokenDto>> CreateForSelfAsync(SelfRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var policy = await policies.CurrentAsync(ct);
        if (!policy.AllowHomeSelfRegistration)
        {
            return Failures.Titled(StatusCodes.Status403Forbidden, "self-registration-disabled", TerminalText.Get("self_registration_disabled"));
        }

        var errors = new FieldErrors();
        var lifetime = Lifetime(request.TtlMinutes, errors);
        var name = errors.Optional("name", request.Name, 100);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        return await IssueAsync(TerminalKind.Home, lifetime, name, null, actor.UserId, policy.HomeRegistrationRequiresApproval, actor.Id, actor.Client, ct);
    }

    public async Task<IReadOnlyList<EnrollmentTokenDto>> ListAsync(bool openOnly, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var query = db.EnrollmentTokens.AsNoTracking();
        if (openOnly)
        {
            query = query.Where(t => t.UsedAt == null && t.RevokedAt == null && t.ExpiresAt > now);
        }

        var rows = await query.OrderByDescending(t => t.CreatedAt).Take(500).ToListAsync(ct);
        return rows.Select(t => EnrollmentTokenDto.From(t, now)).ToList();
    }

    /// <summary>Revokes an unused token (audited); another tenant's token is not found.</summary>
    public async Task<TokenRevocation> RevokeAsync(Guid id, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = time.GetUtcNow();
        var changed = await db.EnrollmentTokens.Where(t => t.Id == id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        if (changed == 0)
        {
            return await db.EnrollmentTokens.AnyAsync(t => t.Id == id, ct) ? TokenRevocation.AlreadyUsed : TokenRevocation.NotFound;
        }

        await audit.WriteAsync(TerminalAudit.TokenRevoked, actor.UserId == Guid.Empty ? AuditLog.System : actor.Id, id.ToString("D"), null, actor.Client, ct);
        return TokenRevocation.Revoked;
    }

    private TimeSpan Lifetime(int? minutes, FieldErrors errors)
    {
        var max = (int)options.Value.EnrollmentTokenMaxLifetime.TotalMinutes;
        if (minutes is null)
        {
            return options.Value.EnrollmentTokenDefaultLifetime;
        }

        if (minutes is < 5 || minutes > max)
        {
            errors.Add("ttlMinutes", TerminalText.Get("ttl_range", 5, max));
        }

        return TimeSpan.FromMinutes(Math.Clamp(minutes.Value, 5, max));
    }

    private Task<bool> UsableUserAsync(Guid id, CancellationToken ct) => db.Users.AnyAsync(u => u.Id == id && u.DisabledAt == null, ct);

    private async Task<CreatedTokenDto> IssueAsync(TerminalKind kind, TimeSpan lifetime, string? name, Guid? terminalId, Guid? owner, bool requiresApproval,
        string actor, string? client, CancellationToken ct)
    {
        var token = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var row = new EnrollmentToken
        {
            Id = Guid.NewGuid(),
            TokenHash = SecretHash.Of(token),
            Kind = kind,
            PresetName = name,
            TerminalId = terminalId,
            OwnerUserId = owner,
            RequiresApproval = requiresApproval,
            CreatedBy = Guid.TryParse(actor, out var by) ? by : Guid.Empty,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        db.EnrollmentTokens.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(TerminalAudit.TokenCreated, actor, row.Id.ToString("D"),
            $"kind={TerminalDto.KindName(kind)} terminal={terminalId} owner={owner} approval={requiresApproval}", client, ct);
        return new CreatedTokenDto(row.Id, token, TerminalDto.KindName(kind), row.ExpiresAt, name, terminalId, owner, requiresApproval);
    }
}
