using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AspService.Pki;

/// <summary>Issues terminal client certificates. The server, not the CSR, decides every name and extension.</summary>
public static class TerminalCertificates
{
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <param name="ca">The tenant CA with its private key.</param>
    /// <param name="publicKey">The terminal's key, from a checked CSR.</param>
    /// <param name="serial">A fresh random serial (see <see cref="NewSerial"/>), recorded in the database.</param>
    public static X509Certificate2 Issue(
        X509Certificate2 ca,
        PublicKey publicKey,
        TerminalIdentity identity,
        string tenantCode,
        byte[] serial,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        Uri crlDistributionPoint)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(crlDistributionPoint);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName(tenantCode);
        subject.AddOrganizationalUnitName(identity.Kind == TerminalKind.Office ? "office" : "home");
        subject.AddCommonName(identity.TerminalId.ToString("D"));
        var request = new CertificateRequest(subject.Build(), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthOid)], true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(identity.ToUri());
        request.CertificateExtensions.Add(san.Build(critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlDistributionPoint.ToString()]));
        var notAfterCapped = notAfter < ca.NotAfter ? notAfter : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        using var signer = ca.GetECDsaPrivateKey() ?? throw new ArgumentException("CA has no ECDSA private key", nameof(ca));
        return request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(signer), notBefore, notAfterCapped, serial);
    }

    /// <summary>A TLS server certificate (the relay's) from the provider CA.</summary>
    public static X509Certificate2 IssueServer(X509Certificate2 ca, IReadOnlyList<string> dnsNames, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(dnsNames);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid)], true));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            // Addresses go in as IP SANs: clients that connect by address check those, not DNS names.
            if (System.Net.IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var signer = ca.GetECDsaPrivateKey() ?? throw new ArgumentException("CA has no ECDSA private key", nameof(ca));
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(signer), notBefore, notAfter, NewSerial());
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>16 random bytes, positive (RFC 5280 §4.1.2.2 wants a positive integer of at most 20 bytes).</summary>
    public static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        serial[0] |= 0x01;
        return serial;
    }

    /// <summary>Renewal opens at two thirds of the lifetime, so a renewed certificate overlaps the old one.</summary>
    public static DateTimeOffset RenewalOpensAt(DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        notBefore + ((notAfter - notBefore) * 2 / 3);

    public static bool IsRenewable(DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset now) =>
        now >= RenewalOpensAt(notBefore, notAfter) && now < notAfter;

    public static string SerialHex(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.SerialNumber.ToLowerInvariant();
    }
}
