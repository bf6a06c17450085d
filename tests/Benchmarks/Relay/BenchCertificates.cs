using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AspService.Benchmarks.Relay;

/// <summary>
/// A throwaway CA with one server and one client certificate (ECDSA P-256, like the relay's), as PEM files for
/// stunnel and nginx and as .NET certificates for the C# ends. Every peer path uses mutual TLS, like the relay.
/// </summary>
public sealed class BenchCertificates : IDisposable
{
    private BenchCertificates(string folder, X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        Folder = folder;
        Ca = ca;
        Server = server;
        Client = client;
    }

    public string Folder { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public string CaPem => Path.Combine(Folder, "ca.pem");

    public string ServerPem => Path.Combine(Folder, "server.pem");

    public string ServerKey => Path.Combine(Folder, "server.key");

    public string ClientPem => Path.Combine(Folder, "client.pem");

    public string ClientKey => Path.Combine(Folder, "client.key");

    public static BenchCertificates Create(string folder)
    {
        Directory.CreateDirectory(folder);
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Relay benchmark CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
        File.WriteAllText(Path.Combine(folder, "ca.pem"), ca.ExportCertificatePem());

        var server = Issue(ca, "server", "CN=localhost", "1.3.6.1.5.5.7.3.1", folder, 1);
        var client = Issue(ca, "client", "CN=bench-client", "1.3.6.1.5.5.7.3.2", folder, 2);
        return new BenchCertificates(folder, X509CertificateLoader.LoadCertificate(ca.RawData), server, client);
    }

    /// <summary>Chain check against this CA only (no system roots), as the relay's agents pin the provider CA.</summary>
    public bool Trusts(X509Certificate? presented) => ChainsTo(Ca, presented);

    /// <summary>True when <paramref name="presented"/> chains to <paramref name="root"/> and to nothing else (no revocation check).</summary>
    public static bool ChainsTo(X509Certificate2 root, X509Certificate? presented)
    {
        if (presented is not X509Certificate2 certificate)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public RemoteCertificateValidationCallback Validation => (_, presented, _, _) => Trusts(presented);

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        Client.Dispose();
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name, string subject, string usage, string folder, byte serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), [serial, 0x42]);
        File.WriteAllText(Path.Combine(folder, name + ".pem"), issued.ExportCertificatePem());
        var keyFile = Path.Combine(folder, name + ".key");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        // stunnel warns about private keys others can read.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        using var withKey = issued.CopyWithPrivateKey(key);
        // Through PKCS#12 so the platform's TLS stack can use the key.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
