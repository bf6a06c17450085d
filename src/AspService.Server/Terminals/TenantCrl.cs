using System.Security.Cryptography.X509Certificates;
using AspService.Data.TenantData;
using AspService.Pki;
using AspService.Server.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace AspService.Server.Terminals;

/// <summary>
/// The CRL each tenant CA publishes for relying parties other than our relay (which reads the database). Anonymous,
/// so it is cached for a minute per tenant CA: a flood of requests costs one signature a minute.
/// </summary>
public sealed class TenantCrl(TenantDbContext db, TenantCaStore cas, TimeProvider time, IMemoryCache cache)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    /// <summary>The DER revocation list of the current CA (or of <paramref name="caId"/>); null when the tenant has no such CA.</summary>
    public async Task<byte[]?> GetAsync(Guid? caId, CancellationToken ct)
    {
        var key = ("crl", db.Tenant.TenantId, caId);
        if (!cache.TryGetValue(key, out byte[]? crl))
        {
            crl = await BuildAsync(caId, ct);
            if (crl is null)
            {
                return null;
            }

            cache.Set(key, crl, CacheFor);
        }

        return crl;
    }

    private async Task<byte[]?> BuildAsync(Guid? caId, CancellationToken ct)
    {
        var ca = await cas.WithKeyAsync(caId, ct);
        if (ca is null)
        {
            return null;
        }

        using var certificate = ca.Value.Certificate;
        var now = time.GetUtcNow();
        var id = ca.Value.Id;
        // Expired certificates leave the list (RFC 5280 §3.3): they are refused for their dates anyway.
        var revoked = await db.TerminalCertificates.AsNoTracking()
            .Where(c => c.CaId == id && c.RevokedAt != null && c.NotAfter > now)
            .Select(c => new { c.Serial, c.RevokedAt }).ToListAsync(ct);
        return RevocationList.Build(certificate, revoked.Select(r => new RevocationList.Revoked(r.Serial, r.RevokedAt!.Value)),
            now.ToUnixTimeSeconds(), now, now.AddDays(1));
    }
}
