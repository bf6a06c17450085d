using System.Security.Cryptography.X509Certificates;
using AspService.Data;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace AspService.Server.Hosting;

/// <summary>
/// Where the Data Protection key ring lives (it protects TOTP secrets, CA keys and cookies) and how it is
/// encrypted at rest: with <c>DataProtection:CertificatePath</c> set, every key is encrypted with that
/// certificate; the embedded default keeps the ring in the data folder and warns that it is not encrypted.
/// </summary>
public sealed class KeyRingConfiguration(IConfiguration configuration, DatabaseOptions database, ILoggerFactory loggers)
    : IConfigureOptions<KeyManagementOptions>
{
    private X509Certificate2? _certificate;

    public void Configure(KeyManagementOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = configuration["DataProtection:KeysPath"] ?? Path.Combine(database.DataRoot, "keys");
        options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(path), loggers);
        if (Certificate() is { } certificate)
        {
            options.XmlEncryptor = new CertificateXmlEncryptor(certificate, loggers);
        }
    }

    private X509Certificate2? Certificate() => _certificate ??= Load(configuration);

    /// <summary>The key-encryption certificate, if configured.</summary>
    public static X509Certificate2? Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = configuration["DataProtection:CertificatePath"];
        return string.IsNullOrWhiteSpace(path)
            ? null
            : X509CertificateLoader.LoadPkcs12FromFile(path, configuration["DataProtection:CertificatePassword"]);
    }
}
