using System.Security.Cryptography;
using AspService.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace AspService.Server.Tokens;

/// <summary>
/// The token signing and encryption keys: RSA keys generated once and kept in <c>Tokens:KeysPath</c>
/// (default <c>{DataRoot}/token-keys</c>), encrypted with the Data Protection key ring, so tokens survive
/// restarts and every web node shares them (the folder belongs on the same shared storage as the key ring).
/// One key pair serves all tenants; tokens are still tenant-bound by their issuer and by their entry in the
/// tenant's own database (see docs/decisions/0010-openiddict.md).
/// </summary>
internal sealed class TokenKeys(IConfiguration configuration, DatabaseOptions database, IDataProtectionProvider dataProtection)
    : IConfigureOptions<OpenIddictServerOptions>
{
    private const string Purpose = "AspService.Tokens.Keys.v1";

    public void Configure(OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = configuration["Tokens:KeysPath"] ?? Path.Combine(database.DataRoot, "token-keys");
        Directory.CreateDirectory(folder);
        var protector = dataProtection.CreateProtector(Purpose);

        var signing = Load(Path.Combine(folder, "signing.key"), protector);
        options.SigningCredentials.Add(new SigningCredentials(signing, SecurityAlgorithms.RsaSha256));
        var encryption = Load(Path.Combine(folder, "encryption.key"), protector);
        options.EncryptionCredentials.Add(new EncryptingCredentials(encryption, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
    }

    /// <summary>Reads the key, or creates it; when two nodes race, the first file written wins and both use it.</summary>
    private static RsaSecurityKey Load(string path, IDataProtector protector)
    {
        if (!File.Exists(path))
        {
            using var fresh = RSA.Create(2048);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temp, protector.Protect(fresh.ExportPkcs8PrivateKey()));
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }

        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(protector.Unprotect(File.ReadAllBytes(path)), out _);
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()).AsSpan(0, 16).ToArray());
        return key;
    }
}
