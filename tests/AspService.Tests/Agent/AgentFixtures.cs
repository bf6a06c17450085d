using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Agent.Configuration;
using AspService.Agent.Output;
using AspService.Pki;

namespace AspService.Tests.Agent;

/// <summary>A temporary folder for one test; the agent's configuration directory goes below it.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("aspagent-test-").FullName;

    /// <summary>A configuration directory that does not exist yet (the agent creates it 0700).</summary>
    public string ConfigDir => System.IO.Path.Combine(Path, "agent");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not a test failure.
        }
    }
}

/// <summary>
/// Writes an enrollment the way enroll would, with certificates made here, so the local half of status,
/// renew and unenroll can be tested without a server. The end-to-end tests enroll against the real one.
/// </summary>
public static class AgentFixtures
{
    public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public sealed record Enrollment(AgentConfig Config, X509Certificate2 Leaf, X509Certificate2 TenantCa, X509Certificate2 ProviderCa, string KeyPem);

    public static X509Certificate2 ProviderCa() => CertificateAuthority.CreateRoot("AspService Provider CA", "AspService", Now, TimeSpan.FromDays(3650));

    public static Enrollment Enroll(string configDir, Uri agentEndpoint, X509Certificate2? providerCa = null, string name = "総務課-PC01", string kind = "office")
    {
        var tenantId = Guid.NewGuid();
        var terminalId = Guid.NewGuid();
        var tenantCa = CertificateAuthority.CreateTenantRoot("131016", "千代田区", tenantId, Now, TimeSpan.FromDays(3650));
        providerCa ??= ProviderCa();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=aspagent", key, HashAlgorithmName.SHA256);
        var notBefore = Now.AddDays(-1);
        var notAfter = notBefore.AddDays(30);
        var leaf = TerminalCertificates.Issue(
            tenantCa,
            request.PublicKey,
            new TerminalIdentity(tenantId, terminalId, kind == "office" ? TerminalKind.Office : TerminalKind.Home),
            "131016",
            TerminalCertificates.NewSerial(),
            notBefore,
            notAfter,
            new Uri("https://asp.example/pki/131016/crl"));
        var config = new AgentConfig
        {
            Server = new Uri("http://localhost:5080/t/131016"),
            AgentEndpoint = agentEndpoint,
            TenantId = tenantId,
            TenantCode = "131016",
            TenantName = "千代田区",
            TerminalId = terminalId,
            Kind = kind,
            Name = name,
            State = "active",
            Serial = TerminalCertificates.SerialHex(leaf),
            NotBefore = notBefore,
            NotAfter = notAfter,
            RenewalOpensAt = TerminalCertificates.RenewalOpensAt(notBefore, notAfter),
            EnrolledAt = notBefore,
        };
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        new ConfigDirectory(configDir).EnsurePrivate(AgentText.English);
        new ConfigDirectory(configDir).Save(config, keyPem, leaf.ExportCertificatePem() + "\n" + tenantCa.ExportCertificatePem(), providerCa.ExportCertificatePem(), AgentText.English);
        return new Enrollment(config, leaf, tenantCa, providerCa, keyPem);
    }

    /// <summary>A loopback port with nothing listening on it (bound, then released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static Dictionary<string, string> English => new() { ["LANG"] = "en_US.UTF-8" };
}
