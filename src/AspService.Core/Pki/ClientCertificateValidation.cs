using System.Security.Cryptography.X509Certificates;

namespace AspService.Pki;

public enum CertificateRefusal
{
    None,
    NotYetValid,
    Expired,
    WrongUsage,
    NoTerminalIdentity,
    OtherTenant,
    UntrustedChain,
}

/// <summary>
/// Pure validation of a presented terminal certificate against ONE tenant's roots — not against any trusted
/// root. Revocation (serial in the database) and terminal state are checked by the caller afterwards.
/// </summary>
public static class ClientCertificateValidation
{
    public sealed record Result(CertificateRefusal Refusal, TerminalIdentity? Identity)
    {
        public bool Accepted => Refusal == CertificateRefusal.None;
    }

    /// <summary>Reads the identity a certificate claims, so the caller can load that tenant's roots.</summary>
    public static TerminalIdentity? ClaimedIdentity(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var uris = san is null ? [] : SanUris(san);
        return uris.Count == 1 ? TerminalIdentity.TryParse(uris[0]) : null;
    }

    /// <param name="tenantRoots">The roots of the tenant the certificate claims (two during a CA rollover).</param>
    public static Result Validate(X509Certificate2 certificate, Guid expectedTenant, IReadOnlyCollection<X509Certificate2> tenantRoots, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(tenantRoots);
        if (now < certificate.NotBefore.ToUniversalTime())
        {
            return new Result(CertificateRefusal.NotYetValid, null);
        }

        if (now > certificate.NotAfter.ToUniversalTime())
        {
            return new Result(CertificateRefusal.Expired, null);
        }

        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is null || !eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == TerminalCertificates.ClientAuthOid))
        {
            return new Result(CertificateRefusal.WrongUsage, null);
        }

        var identity = ClaimedIdentity(certificate);
        if (identity is null)
        {
            return new Result(CertificateRefusal.NoTerminalIdentity, null);
        }

        if (identity.TenantId != expectedTenant)
        {
            return new Result(CertificateRefusal.OtherTenant, identity);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        foreach (var root in tenantRoots)
        {
            chain.ChainPolicy.CustomTrustStore.Add(root);
        }

        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // serials are checked in the database
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(TerminalCertificates.ClientAuthOid));
        var built = chain.Build(certificate);
        var top = chain.ChainElements.Count > 0 ? chain.ChainElements[^1].Certificate : null;
        var endsAtTenantRoot = top is not null && tenantRoots.Any(r => r.RawDataMemory.Span.SequenceEqual(top.RawDataMemory.Span));
        return built && endsAtTenantRoot && chain.ChainElements.Count == 2
            ? new Result(CertificateRefusal.None, identity)
            : new Result(CertificateRefusal.UntrustedChain, identity);
    }

    private static List<string> SanUris(X509SubjectAlternativeNameExtension san)
    {
        // .NET exposes DNS names and IPs directly; URIs are read from the ASN.1 (GeneralName [6] IA5String).
        var reader = new System.Formats.Asn1.AsnReader(san.RawData, System.Formats.Asn1.AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        var uris = new List<string>();
        var uriTag = new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 6);
        while (sequence.HasData)
        {
            var tag = sequence.PeekTag();
            if (tag == uriTag)
            {
                uris.Add(sequence.ReadCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, uriTag));
            }
            else
            {
                sequence.ReadEncodedValue();
            }
        }

        return uris;
    }
}
