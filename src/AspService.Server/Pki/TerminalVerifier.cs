using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Audit;
using AspService.Server.Tenancy;
using AspService.Server.Terminals;
using AspService.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Pki;

/// <summary>
/// Checks a presented terminal certificate: the chain must end at the root of the tenant it claims, and the
/// database must know this exact certificate as unrevoked and its terminal as usable. Runs at every handshake,
/// so a revocation is in force for the next connection. Refusals are logged and audited in the tenant that owns
/// the claimed terminal, where there is one.
/// </summary>
public sealed class TerminalVerifier(IServiceScopeFactory scopes, TimeProvider time, ILogger<TerminalVerifier> logger)
{
    public sealed record Outcome(TerminalConnection? Terminal, string? Refusal)
    {
        public bool Accepted => Terminal is not null;
    }

    public async Task<Outcome> VerifyAsync(X509Certificate2? certificate, string? client, CancellationToken ct)
    {
        if (certificate is null)
        {
            return Refuse(null, "no_certificate");
        }

        var claimed = ClientCertificateValidation.ClaimedIdentity(certificate);
        if (claimed is null)
        {
            return Refuse(null, "no_terminal_identity");
        }

        await using var scope = scopes.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var tenant = await catalog.Tenants.AsNoTracking().Where(t => t.Id == claimed.TenantId)
            .Select(t => new { t.Id, t.Code, t.DatabaseName, t.State }).FirstOrDefaultAsync(ct);
        if (tenant is null || tenant.State is not (TenantState.Active or TenantState.Suspended))
        {
            return Refuse(claimed, "tenant_unknown");
        }

        var binding = new TenantBinding(tenant.Id, tenant.Code, tenant.DatabaseName);
        scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(binding);
        var db = scope.ServiceProvider.GetRequiredService<TenantDbContext>();
        var refusal = tenant.State == TenantState.Suspended ? "tenant_suspended" : await CheckAsync(scope.ServiceProvider, db, certificate, claimed, ct);
        if (refusal is not null)
        {
            await AuditRefusalAsync(scope.ServiceProvider, db, claimed, certificate, refusal, client, ct);
            return Refuse(claimed, refusal);
        }

        var terminal = await db.Terminals.FirstAsync(t => t.Id == claimed.TerminalId, ct);
        var now = time.GetUtcNow();
        // Last-seen is a coarse liveness fact: one write a minute per terminal, not one per handshake.
        if (terminal.LastSeenAt is null || now - terminal.LastSeenAt > TimeSpan.FromMinutes(1))
        {
            terminal.LastSeenAt = now;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another request changed the row at the same moment (parallel handshakes, an unenroll): the
                // coarse last-seen can wait for the next handshake; the connection is judged on what was read.
                db.ChangeTracker.Clear();
            }
        }

        return new Outcome(new TerminalConnection(binding, terminal.Id, terminal.Kind, TerminalCertificates.SerialHex(certificate),
            terminal.State == TerminalState.PendingApproval), null);
    }

    /// <summary>Re-checks the database facts for a request on an already verified connection (keep-alive).</summary>
    public static async Task<string?> RecheckAsync(TenantDbContext db, TerminalConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(connection);
        var row = await db.TerminalCertificates.AsNoTracking().FirstOrDefaultAsync(c => c.Serial == connection.Serial, ct);
        var terminal = await db.Terminals.AsNoTracking().FirstOrDefaultAsync(t => t.Id == connection.TerminalId, ct);
        return row is null ? "unknown_serial"
            : row.RevokedAt is not null ? "revoked"
            : row.NotAfter <= now ? "expired"
            : StateRefusal(terminal);
    }

    private async Task<string?> CheckAsync(IServiceProvider services, TenantDbContext db, X509Certificate2 certificate, TerminalIdentity claimed, CancellationToken ct)
    {
        var roots = await services.GetRequiredService<TenantCaStore>().TrustedRootsAsync(ct);
        var now = time.GetUtcNow();
        var chain = ClientCertificateValidation.Validate(certificate, claimed.TenantId, roots, now);
        foreach (var root in roots)
        {
            root.Dispose();
        }

        if (!chain.Accepted)
        {
            return chain.Refusal switch
            {
                CertificateRefusal.Expired => "expired",
                CertificateRefusal.NotYetValid => "not_yet_valid",
                CertificateRefusal.WrongUsage => "wrong_usage",
                CertificateRefusal.OtherTenant => "other_tenant",
                CertificateRefusal.NoTerminalIdentity => "no_terminal_identity",
                _ => "untrusted_chain",
            };
        }

        var serial = TerminalCertificates.SerialHex(certificate);
        var row = await db.TerminalCertificates.AsNoTracking().FirstOrDefaultAsync(c => c.Serial == serial, ct);
        if (row is null)
        {
            return "unknown_serial";
        }

        if (row.Thumbprint != Thumbprint(certificate) || row.TerminalId != claimed.TerminalId)
        {
            return "certificate_mismatch";
        }

        if (row.RevokedAt is not null)
        {
            return "revoked";
        }

        var terminal = await db.Terminals.AsNoTracking().FirstOrDefaultAsync(t => t.Id == claimed.TerminalId, ct);
        return terminal is not null && terminal.Kind != claimed.Kind ? "certificate_mismatch" : StateRefusal(terminal);
    }

    private static string? StateRefusal(Terminal? terminal) => terminal?.State switch
    {
        null => "terminal_unknown",
        TerminalState.Disabled => "terminal_disabled",
        TerminalState.Unenrolled => "terminal_unenrolled",
        _ => null,
    };

    public static string Thumbprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }

    private static async Task AuditRefusalAsync(IServiceProvider services, TenantDbContext db, TerminalIdentity claimed, X509Certificate2 certificate,
        string refusal, string? client, CancellationToken ct)
    {
        // Only terminals this tenant knows get an audit row; garbage certificates naming random ids are just logged.
        if (!await db.Terminals.IgnoreQueryFilters().AnyAsync(t => t.Id == claimed.TerminalId, ct))
        {
            return;
        }

        await services.GetRequiredService<AuditLog>().WriteAsync(TerminalAudit.HandshakeRefused, AuditLog.System,
            claimed.TerminalId.ToString("D"), $"{refusal} serial={TerminalCertificates.SerialHex(certificate)}", client, ct);
    }

    private Outcome Refuse(TerminalIdentity? claimed, string refusal)
    {
        logger.LogWarning("Terminal certificate refused: {Reason} (tenant {TenantId}, terminal {TerminalId})",
            refusal, claimed?.TenantId, claimed?.TerminalId);
        return new Outcome(null, refusal);
    }
}
