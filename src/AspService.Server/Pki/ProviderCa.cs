using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Data;
using AspService.Pki;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace AspService.Server.Pki;

/// <summary>
/// The provider's CA: it signs only the relay's TLS server certificate, which agents pin (they trust no other root
/// for the relay). Loaded from configured files in production, generated once in the embedded default.
/// </summary>
public sealed class ProviderCa(IOptions<PkiOptions> options, DatabaseOptions database, IDataProtectionProvider dataProtection, TimeProvider time)
{
    private const string Purpose = "AspService.Pki.ProviderCa.v1";
    private readonly Lazy<X509Certificate2> _ca = new(() => Load(options.Value, database, dataProtection, time));

    /// <summary>The CA with its private key (never leaves the process).</summary>
    public X509Certificate2 Certificate => _ca.Value;

    /// <summary>The public certificate agents pin, as PEM.</summary>
    public string PublicPem => Certificate.ExportCertificatePem();

    private static X509Certificate2 Load(PkiOptions options, DatabaseOptions database, IDataProtectionProvider dataProtection, TimeProvider time)
    {
        if (!string.IsNullOrWhiteSpace(options.ProviderCaPath))
        {
            return LoadConfigured(options);
        }

        var folder = Path.Combine(database.DataRoot, "pki");
        Directory.CreateDirectory(folder);
        var certPath = Path.Combine(folder, "provider-ca.crt");
        var keyPath = Path.Combine(folder, "provider-ca.key.protected");
        var protector = dataProtection.CreateProtector(Purpose);
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            using var fresh = CertificateAuthority.CreateRoot("AspService Provider CA", "AspService", time.GetUtcNow(), TimeSpan.FromDays(10 * 365));
            // Key first, certificate last: a crash in between leaves no certificate, so the next start regenerates both.
            WriteAtomically(keyPath, protector.Protect(CertificateAuthority.ExportPrivateKey(fresh)));
            WriteAtomically(certPath, System.Text.Encoding.ASCII.GetBytes(fresh.ExportCertificatePem()));
        }

        using var publicCert = X509Certificate2.CreateFromPem(File.ReadAllText(certPath));
        return CertificateAuthority.WithPrivateKey(publicCert, protector.Unprotect(File.ReadAllBytes(keyPath)));
    }

    private static X509Certificate2 LoadConfigured(PkiOptions options)
    {
        var path = options.ProviderCaPath!;
        if (path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, options.ProviderCaPassword, X509KeyStorageFlags.EphemeralKeySet);
        }

        if (string.IsNullOrWhiteSpace(options.ProviderCaKeyPath))
        {
            throw new InvalidOperationException("Pki:ProviderCaKeyPath is required with a PEM Pki:ProviderCaPath");
        }

        using var cert = X509Certificate2.CreateFromPem(File.ReadAllText(path));
        using var key = ECDsa.Create();
        var keyPem = File.ReadAllText(options.ProviderCaKeyPath);
        if (string.IsNullOrEmpty(options.ProviderCaPassword))
        {
            key.ImportFromPem(keyPem);
        }
        else
        {
            key.ImportFromEncryptedPem(keyPem, options.ProviderCaPassword);
        }

        return cert.CopyWithPrivateKey(key);
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
