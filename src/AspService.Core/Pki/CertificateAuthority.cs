using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AspService.Pki;

/// <summary>
/// Creates certificate authorities: one root per tenant (自治体CA) and the provider CA that issues the relay's
/// TLS server certificate. ECDSA P-256 throughout.
/// </summary>
public static class CertificateAuthority
{
    /// <summary>A self-signed root, valid from a little before <paramref name="now"/> for <paramref name="lifetime"/>.</summary>
    public static X509Certificate2 CreateRoot(string commonName, string organization, DateTimeOffset now, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName(organization);
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Back-dated a little: clocks of agents drift.
        return request.CreateSelfSigned(now.AddMinutes(-5), now + lifetime);
    }

    /// <summary>The tenant CA of one municipality; its name says whose it is.</summary>
    public static X509Certificate2 CreateTenantRoot(string tenantCode, string tenantName, Guid tenantId, DateTimeOffset now, TimeSpan lifetime) =>
        CreateRoot($"AspService Tenant CA {tenantCode} {tenantId:N}", $"{tenantName} ({tenantCode})", now, lifetime);

    /// <summary>PKCS#8 private key bytes for encryption at rest (the caller protects them; never returned by an API).</summary>
    public static byte[] ExportPrivateKey(X509Certificate2 ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        using var key = ca.GetECDsaPrivateKey() ?? throw new ArgumentException("no ECDSA private key", nameof(ca));
        return key.ExportPkcs8PrivateKey();
    }

    /// <summary>Re-attaches a stored private key to its public certificate.</summary>
    public static X509Certificate2 WithPrivateKey(X509Certificate2 publicCertificate, ReadOnlySpan<byte> pkcs8)
    {
        ArgumentNullException.ThrowIfNull(publicCertificate);
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        return publicCertificate.CopyWithPrivateKey(key);
    }
}
