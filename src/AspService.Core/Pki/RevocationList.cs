using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AspService.Pki;

/// <summary>The per-tenant CRL, published for relying parties; the server itself checks serials in the database.</summary>
public static class RevocationList
{
    public sealed record Revoked(string SerialHex, DateTimeOffset RevokedAt);

    public static byte[] Build(X509Certificate2 ca, IEnumerable<Revoked> revoked, long crlNumber, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(revoked);
        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in revoked)
        {
            builder.AddEntry(Convert.FromHexString(entry.SerialHex.Length % 2 == 0 ? entry.SerialHex : "0" + entry.SerialHex),
                entry.RevokedAt, X509RevocationReason.CessationOfOperation);
        }

        return builder.Build(ca, new BigInteger(crlNumber), nextUpdate, HashAlgorithmName.SHA256, null, thisUpdate);
    }
}
