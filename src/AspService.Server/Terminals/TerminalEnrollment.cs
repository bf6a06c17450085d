using System.Security.Cryptography.X509Certificates;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Pki;
using Microsoft.EntityFrameworkCore;
using AspService.Common;

namespace AspService.Server.Terminals;

/// <summary>
/// Enrollment with a one-time token and a CSR; renewal and unenrollment by the terminal itself over mTLS. The CSR
/// only proves possession of a P-256 key: the server decides every name and extension of the certificate.
/// </summary>
public sealed class TerminalEnrollment(TenantDbContext db, TerminalIssuer issuer, AuditLog audit, TimeProvider time, Relay.RelayCommands relay)
{
    public sealed record EnrollRequest(string? Token, string? Csr, string? Name);

    public sealed record RenewRequest(string? Csr);

    public sealed record TerminalSelf(
        Guid TerminalId, Guid TenantId, string TenantCode, string Kind, string Name, string State, string Serial,
        DateTimeOffset NotAfter, DateTimeOffset RenewalOpensAt);

    /// <summary>A one-time token and a CSR → the certificate chain of a new (or re-enrolled) terminal, or why not.</summary>
    public async Task<Outcome<IssuedCertificate>> EnrollAsync(EnrollRequest request, string? client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Token) || request.Token.Length > 200)
        {
            return Failures.Titled(StatusCodes.Status400BadRequest, "enrollment-token-invalid", TerminalText.Get("token_invalid"));
        }

        var now = time.GetUtcNow();
        var hash = SecretHash.Of(request.Token.Trim());
        var token = await db.EnrollmentTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (token is null || token.RevokedAt is not null)
        {
            return Failures.Titled(StatusCodes.Status400BadRequest, "enrollment-token-invalid", TerminalText.Get("token_invalid"));
        }

        if (token.UsedAt is not null)
        {
            return Failures.Titled(StatusCodes.Status409Conflict, "enrollment-token-used", TerminalText.Get("token_used"));
        }

        if (token.ExpiresAt <= now)
        {
            return Failures.Titled(StatusCodes.Status400BadRequest, "enrollment-token-expired", TerminalText.Get("token_expired"));
        }

        var errors = new FieldErrors();
        var name = errors.Optional("name", request.Name, 100);
        var key = CheckCsr(request.Csr, out var csrFailure);
        if (csrFailure is not null)
        {
            return csrFailure;
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (terminal, refusal) = await TerminalForAsync(token, name, now, client, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        // Consumed in the same transaction as the issuance: two agents racing with one token get one certificate.
        var consumed = await db.EnrollmentTokens.Where(t => t.Id == token.Id && t.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now).SetProperty(t => t.UsedByTerminalId, terminal!.Id), ct);
        if (consumed == 0)
        {
            return Failures.Titled(StatusCodes.Status409Conflict, "enrollment-token-used", TerminalText.Get("token_used"));
        }

        var issued = await issuer.IssueAsync(terminal!, key!, null, AuditLog.System, client, ct);
        if (issued is null)
        {
            return Failures.Titled(StatusCodes.Status503ServiceUnavailable, "pki-not-ready", TerminalText.Get("pki_not_ready"));
        }

        await transaction.CommitAsync(ct);
        return issued;
    }

    /// <summary>The verified terminal as the registry sees it.</summary>
    public async Task<TerminalSelf> SelfAsync(TerminalConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var terminal = await db.Terminals.AsNoTracking().FirstAsync(t => t.Id == connection.TerminalId, ct);
        var certificate = await db.TerminalCertificates.AsNoTracking().FirstAsync(c => c.Serial == connection.Serial, ct);
        return new TerminalSelf(terminal.Id, db.Tenant.TenantId, db.Tenant.Code, TerminalDto.KindName(terminal.Kind), terminal.Name,
            TerminalDto.StateName(terminal.State), certificate.Serial, certificate.NotAfter,
            TerminalCertificates.RenewalOpensAt(certificate.NotBefore, certificate.NotAfter));
    }

    /// <summary>A new certificate for a new key, once two thirds of the current one's life have passed.</summary>
    public async Task<Outcome<IssuedCertificate>> RenewAsync(TerminalConnection connection, RenewRequest request, string? client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var current = await db.TerminalCertificates.AsNoTracking().FirstAsync(c => c.Serial == connection.Serial, ct);
        if (!TerminalCertificates.IsRenewable(current.NotBefore, current.NotAfter, now))
        {
            var opens = TerminalCertificates.RenewalOpensAt(current.NotBefore, current.NotAfter);
            return Failures.Titled(StatusCodes.Status409Conflict, "renewal-not-open", TerminalText.Get("renewal_not_open", Jst.Format(opens)));
        }

        var key = CheckCsr(request.Csr, out var csrFailure);
        if (csrFailure is not null)
        {
            return csrFailure;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // A renewal retried with the same old certificate (the agent lost the answer) supersedes the unused successor.
        var earlier = await db.TerminalCertificates.Where(c => c.RenewedFrom == current.Serial && c.RevokedAt == null).Select(c => c.Serial).ToListAsync(ct);
        foreach (var serial in earlier)
        {
            await db.TerminalCertificates.Where(c => c.Serial == serial).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.RevokedAt, now).SetProperty(c => c.RevocationReason, "superseded"), ct);
            await audit.WriteAsync(TerminalAudit.CertificateRevoked, AuditLog.System, connection.TerminalId.ToString("D"), $"serial={serial} reason=superseded", client, ct);
        }

        var terminal = await db.Terminals.AsNoTracking().FirstAsync(t => t.Id == connection.TerminalId, ct);
        var issued = await issuer.IssueAsync(terminal, key!, current.Serial, AuditLog.System, client, ct);
        if (issued is null)
        {
            return Failures.Titled(StatusCodes.Status503ServiceUnavailable, "pki-not-ready", TerminalText.Get("pki_not_ready"));
        }

        await transaction.CommitAsync(ct);
        return issued;
    }

    /// <summary>The terminal gives itself up: its certificates revoked, its control connection closed (audited).</summary>
    public async Task UnenrollAsync(TerminalConnection connection, string? client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var terminal = await db.Terminals.FirstAsync(t => t.Id == connection.TerminalId, ct);
        await issuer.RevokeAllAsync(terminal.Id, "unenrolled", AuditLog.System, client, ct);
        terminal.State = TerminalState.Unenrolled;
        terminal.Online = false;
        terminal.Version++;
        await db.SaveChangesAsync(ct); // a lost race on Version answers 409 (BadRequestHandler)

        await audit.WriteAsync(TerminalAudit.Unenrolled, AuditLog.System, terminal.Id.ToString("D"), null, client, ct);
        await relay.EnqueueAsync(db.Tenant.TenantId, Data.Relay.RelayCommandKind.CloseTerminal, terminal.Id, "terminal_revoked", ct);
    }

    /// <summary>The terminal a token enrolls: the one it names (re-enrollment) or a new one.</summary>
    private async Task<(Terminal? Terminal, Failure? Refusal)> TerminalForAsync(EnrollmentToken token, string? name, DateTimeOffset now, string? client, CancellationToken ct)
    {
        if (token.OwnerUserId is { } owner && !await db.Users.AnyAsync(u => u.Id == owner && u.DisabledAt == null, ct))
        {
            return (null, Failures.Titled(StatusCodes.Status409Conflict, "owner-invalid", TerminalText.Get("owner_invalid")));
        }

        var state = token.RequiresApproval ? TerminalState.PendingApproval : TerminalState.Active;
        if (token.TerminalId is { } id)
        {
            var existing = await db.Terminals.FirstOrDefaultAsync(t => t.Id == id, ct);
            if (existing is null)
            {
                return (null, Failures.Titled(StatusCodes.Status409Conflict, "terminal-not-found", TerminalText.Get("terminal_not_found")));
            }

            if (existing.State == TerminalState.Disabled)
            {
                return (null, Failures.Titled(StatusCodes.Status409Conflict, "terminal-disabled", TerminalText.Get("terminal_disabled")));
            }

            // A re-installed PC gets a new key: the certificates of the old installation stop working now.
            await issuer.RevokeAllAsync(existing.Id, "reenrolled", AuditLog.System, client, ct);
            existing.Name = name ?? token.PresetName ?? existing.Name;
            existing.State = existing.State == TerminalState.PendingApproval ? TerminalState.PendingApproval : state;
            existing.ApprovedAt ??= existing.State == TerminalState.Active ? now : null;
            existing.Version++;
            await db.SaveChangesAsync(ct);
            await audit.WriteAsync(TerminalAudit.Enrolled, AuditLog.System, existing.Id.ToString("D"), $"kind={TerminalDto.KindName(existing.Kind)} reenrolled", client, ct);
            return (existing, null);
        }

        var terminal = new Terminal
        {
            Id = Guid.NewGuid(),
            Kind = token.Kind,
            OwnerUserId = token.Kind == TerminalKind.Home ? token.OwnerUserId : null,
            State = state,
            CreatedAt = now,
            ApprovedAt = state == TerminalState.Active ? now : null,
            Name = "",
        };
        terminal.Name = name ?? token.PresetName
            ?? TerminalText.Get(token.Kind == TerminalKind.Office ? "default_office_name" : "default_home_name", terminal.Id.ToString("N")[..8]);
        db.Terminals.Add(terminal);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(TerminalAudit.Enrolled, AuditLog.System, terminal.Id.ToString("D"),
            $"kind={TerminalDto.KindName(terminal.Kind)} state={TerminalDto.StateName(state)} token={token.Id}", client, ct);
        return (terminal, null);
    }

    private static PublicKey? CheckCsr(string? csr, out Failure? failure)
    {
        var (key, error) = CsrPolicy.Check(csr);
        failure = error switch
        {
            CsrError.None => null,
            CsrError.Empty => Failures.Titled(StatusCodes.Status400BadRequest, "csr-required", TerminalText.Get("csr_required")),
            CsrError.TooLarge => Failures.Titled(StatusCodes.Status400BadRequest, "csr-too-large", TerminalText.Get("csr_too_large", CsrPolicy.MaxPemLength)),
            CsrError.BadSignature => Failures.Titled(StatusCodes.Status400BadRequest, "csr-signature", TerminalText.Get("csr_signature")),
            CsrError.WeakOrUnsupportedKey => Failures.Titled(StatusCodes.Status400BadRequest, "csr-key-weak", TerminalText.Get("csr_key_weak")),
            _ => Failures.Titled(StatusCodes.Status400BadRequest, "csr-invalid", TerminalText.Get("csr_invalid")),
        };
        return key;
    }
}
