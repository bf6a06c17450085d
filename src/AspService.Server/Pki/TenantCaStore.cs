using System.Security.Cryptography.X509Certificates;
using AspService.Data.Tenancy;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Pki;

/// <summary>
/// The tenant's CA in its own database. The private key is Data Protection ciphertext under a purpose that names
/// the tenant, so one tenant's key blob cannot be opened as another's; only this class ever unprotects it.
/// </summary>
public sealed class TenantCaStore(TenantDbContext db, IDataProtectionProvider dataProtection, TimeProvider time, IOptions<PkiOptions> options)
{
    private IDataProtector Protector => dataProtection.CreateProtector("AspService.Pki.TenantCa.v1", db.Tenant.TenantId.ToString("D"));

    /// <summary>Creates the CA unless the tenant has a current one (idempotent: a provisioning step).</summary>
    public async Task EnsureAsync(string tenantName, CancellationToken ct)
    {
        if (await db.CertificateAuthorities.AnyAsync(c => c.Current, ct))
        {
            return;
        }

        await CreateAsync(tenantName, current: true, ct);
    }

    /// <summary>Adds a CA row; during a rollover the new one becomes current and the old one stays trusted.</summary>
    public async Task<TenantCa> CreateAsync(string tenantName, bool current, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        using var ca = CertificateAuthority.CreateTenantRoot(db.Tenant.Code, tenantName, db.Tenant.TenantId, now, options.Value.TenantCaLifetime);
        var row = new TenantCa
        {
            Id = Guid.NewGuid(),
            CertificateDer = ca.RawData,
            PrivateKeyProtected = Protector.Protect(CertificateAuthority.ExportPrivateKey(ca)),
            NotBefore = ca.NotBefore.ToUniversalTime(),
            NotAfter = ca.NotAfter.ToUniversalTime(),
            CreatedAt = now,
            Current = current,
        };
        if (current)
        {
            await db.CertificateAuthorities.Where(c => c.Current).ExecuteUpdateAsync(s => s.SetProperty(c => c.Current, false), ct);
        }

        db.CertificateAuthorities.Add(row);
        await db.SaveChangesAsync(ct);
        return row;
    }

    /// <summary>The issuing CA with its key, or null before provisioning created it.</summary>
    public Task<(Guid Id, X509Certificate2 Certificate)?> CurrentAsync(CancellationToken ct) => WithKeyAsync(null, ct);

    /// <summary>One CA with its key (null id: the current one), or null when there is none.</summary>
    public async Task<(Guid Id, X509Certificate2 Certificate)?> WithKeyAsync(Guid? id, CancellationToken ct)
    {
        var row = await db.CertificateAuthorities.AsNoTracking().Where(c => id == null ? c.Current : c.Id == id).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        using var publicCert = X509CertificateLoader.LoadCertificate(row.CertificateDer);
        return (row.Id, CertificateAuthority.WithPrivateKey(publicCert, Protector.Unprotect(row.PrivateKeyProtected)));
    }

    /// <summary>Public roots still trusted (not expired): certificates chain to any of them during a rollover.</summary>
    public async Task<IReadOnlyList<X509Certificate2>> TrustedRootsAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var rows = await db.CertificateAuthorities.AsNoTracking().Where(c => c.NotAfter > now)
            .OrderByDescending(c => c.Current).ThenByDescending(c => c.NotAfter).Select(c => c.CertificateDer).ToListAsync(ct);
        return rows.Select(X509CertificateLoader.LoadCertificate).ToList();
    }
}
