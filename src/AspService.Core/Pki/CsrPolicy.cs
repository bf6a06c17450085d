using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AspService.Pki;

public enum CsrError
{
    None,
    Empty,
    TooLarge,
    NotPem,
    BadSignature,
    WeakOrUnsupportedKey,
}

/// <summary>
/// Accepts a terminal's PEM CSR only for what it proves: possession of an ECDSA P-256 key. Everything else in
/// the CSR (subject, extensions) is ignored; the server decides them at issuance.
/// </summary>
public static class CsrPolicy
{
    public const int MaxPemLength = 8 * 1024;

    public static (PublicKey? Key, CsrError Error) Check(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return (null, CsrError.Empty);
        }

        if (pem.Length > MaxPemLength)
        {
            return (null, CsrError.TooLarge);
        }

        CertificateRequest request;
        try
        {
            // Loading verifies the CSR's self-signature (proof of possession).
            request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (CryptographicException ex) when (ex.Message.Contains("signature", StringComparison.OrdinalIgnoreCase))
        {
            return (null, CsrError.BadSignature);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or FormatException)
        {
            return (null, CsrError.NotPem);
        }

        return IsP256(request.PublicKey) ? (request.PublicKey, CsrError.None) : (null, CsrError.WeakOrUnsupportedKey);
    }

    private static bool IsP256(PublicKey key)
    {
        using var ec = key.GetECDsaPublicKey();
        if (ec is null)
        {
            return false;
        }

        var curve = ec.ExportParameters(false).Curve;
        return curve.IsNamed && (curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value
            || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256");
    }
}
