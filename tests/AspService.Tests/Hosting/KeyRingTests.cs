using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Hosting;

public sealed class KeyRingTests
{
    [Fact]
    public void KeyRing_WithCertificate_EncryptedAtRestAndStillUsable()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=aspservice-keyring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var pfx = Path.Combine(Path.GetTempPath(), $"keyring-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pfx-pass"));
        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = pfx,
            ["DataProtection:CertificatePassword"] = "pfx-pass",
        };
        using var first = new AppFactory(settings: settings);
        try
        {
            var payload = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("secret value");
            var keyXml = File.ReadAllText(Directory.GetFiles(Path.Combine(first.DataRoot, "keys"), "key-*.xml").Single());

            // A second process reads the ring from disk, so it must decrypt the stored key with the certificate.
            using var second = new AppFactory(settings: settings, dataRoot: first.DataRoot);
            var roundTrip = second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(payload);

            Assert.Equal("secret value", roundTrip);
            Assert.Contains("EncryptedData", keyXml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", keyXml, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pfx);
        }
    }
}
