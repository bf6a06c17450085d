using System.Security.Cryptography.X509Certificates;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Audit;
using AspService.Server.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Terminals;

/// <summary>Issues and revokes terminal certificates of the current tenant; every issuance and revocation is audited.</summary>
public sealed class TerminalIssuer(
    TenantDbContext db,
    TenantCaStore cas,
    AuditLog audit,
    TimeProvider time,
    ProviderCa providerCa,
    IServiceProvider services,
    IOptions<PkiOptions> options,
    Hosting.PublicAddress publicAddress,
    Data.Catalog.CatalogDbContext catalog)
{
    /// <summary>Null when the tenant has no CA yet (provisioning has not reached that step).</summary>
    public async Task<IssuedCertificate?> IssueAsync(Terminal terminal, PublicKey key, string? renewedFrom, string actor, string? client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(key);
        if (await cas.CurrentAsync(ct) is not { } ca)
        {
            return null;
        }

        using var caCertificate = ca.Certificate;
        var now = time.GetUtcNow();
        var identityUri = new TerminalIdentity(db.Tenant.TenantId, terminal.Id, terminal.Kind);
        // Back-dated a little: agents' clocks drift. Renewal overlaps: the old certificate stays valid until it expires.
        using var issued = TerminalCertificates.Issue(caCertificate, key, identityUri, db.Tenant.Code, TerminalCertificates.NewSerial(),
            now.AddMinutes(-5), now + options.Value.TerminalCertificateLifetime, CrlUri(ca.Id));
        var row = new TerminalCertificate
        {
            Serial = TerminalCertificates.SerialHex(issued),
            TerminalId = terminal.Id,
            CaId = ca.Id,
            Thumbprint = TerminalVerifier.Thumbprint(issued),
            Der = issued.RawData,
            NotBefore = issued.NotBefore.ToUniversalTime(),
            NotAfter = issued.NotAfter.ToUniversalTime(),
            IssuedAt = now,
            RenewedFrom = renewedFrom,
        };
        db.TerminalCertificates.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(renewedFrom is null ? TerminalAudit.CertificateIssued : TerminalAudit.CertificateRenewed, actor,
            terminal.Id.ToString("D"), renewedFrom is null ? $"serial={row.Serial}" : $"serial={row.Serial} from={renewedFrom}", client, ct);

        var tenantName = await catalog.Tenants.AsNoTracking().Where(t => t.Id == db.Tenant.TenantId).Select(t => t.Name).FirstAsync(ct);
        var leafPem = issued.ExportCertificatePem();
        return new IssuedCertificate(terminal.Id, db.Tenant.TenantId, db.Tenant.Code, tenantName, TerminalDto.KindName(terminal.Kind),
            terminal.Name, TerminalDto.StateName(terminal.State), row.Serial, leafPem, leafPem + "\n" + caCertificate.ExportCertificatePem(),
            row.NotBefore, row.NotAfter, TerminalCertificates.RenewalOpensAt(row.NotBefore, row.NotAfter),
            AgentAddress.PublicUrl(services), providerCa.PublicPem);
    }

    /// <summary>Revokes every live certificate of a terminal. Returns how many.</summary>
    public async Task<int> RevokeAllAsync(Guid terminalId, string reason, string actor, string? client, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var live = await db.TerminalCertificates.Where(c => c.TerminalId == terminalId && c.RevokedAt == null).ToListAsync(ct);
        foreach (var certificate in live)
        {
            certificate.RevokedAt = now;
            certificate.RevocationReason = reason;
        }

        await db.SaveChangesAsync(ct);
        foreach (var certificate in live)
        {
            await audit.WriteAsync(TerminalAudit.CertificateRevoked, actor, terminalId.ToString("D"), $"serial={certificate.Serial} reason={reason}", client, ct);
        }

        return live.Count;
    }

    /// <summary>A user was disabled or deleted: their home devices lose their certificates at once.</summary>
    public async Task RevokeOwnedAsync(Guid userId, string reason, string actor, string? client, CancellationToken ct)
    {
        var owned = await db.Terminals.Where(t => t.OwnerUserId == userId && t.State != TerminalState.Unenrolled).ToListAsync(ct);
        foreach (var terminal in owned)
        {
            await RevokeAllAsync(terminal.Id, reason, actor, client, ct);
            terminal.State = TerminalState.Unenrolled;
            terminal.Online = false;
            terminal.Version++;
        }

        await db.SaveChangesAsync(ct);
    }

    private Uri CrlUri(Guid caId)
    {
        return new Uri($"{publicAddress.TenantRoot(db.Tenant.Code)}/api/v1/pki/crl/{caId:D}");
    }
}
