using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Agent.Configuration;
using AspService.Agent.Output;

namespace AspService.Agent.Keys;

/// <summary>
/// Linux and macOS: the key is an unencrypted PKCS#8 PEM file, terminal.key, mode 0600 in a 0700 directory —
/// the same protection as an SSH private key. <see cref="ConfigDirectory"/> writes it.
/// </summary>
public sealed class FileKeyStore : ITerminalKeyStore
{
    public string Kind => TerminalKeyStores.File;

    public NewTerminalKey CreateKey() => new FileKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public X509Certificate2 LoadClientCertificate(ConfigDirectory directory, AgentConfig config, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(text);
        if (!File.Exists(directory.KeyPath) || !File.Exists(directory.CertificatePath))
        {
            throw new AgentException(ExitCode.Failed, "files-missing", text.Get("files_missing", directory.Path));
        }

        try
        {
            // The first certificate in terminal.crt is the leaf; the rest is its chain.
            using var ephemeral = X509Certificate2.CreateFromPemFile(directory.CertificatePath, directory.KeyPath);

            // On Linux the ephemeral PEM key works with SslStream as it is (tested both ways, decision 0050);
            // the in-memory PKCS#12 round trip is a safeguard for macOS, where .NET then imports the key into a
            // temporary keychain.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            // ArgumentException: a well-formed key of another certificate.
            throw new AgentException(ExitCode.Failed, "key-mismatch", text.Get("key_mismatch", AgentConsole.OneLine(ex.Message)), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentException(ExitCode.Failed, "io-failed", text.Get("io_failed", AgentConsole.OneLine(ex.Message)), ex);
        }
    }

    public void Remove(AgentConfig config)
    {
    }

    private sealed class FileKey(ECDsa key) : NewTerminalKey
    {
        public override ECDsa Key => key;

        public override string? FilePem => key.ExportPkcs8PrivateKeyPem();

        public override void Install(X509Certificate2 certificate, AgentConfig config)
        {
            ArgumentNullException.ThrowIfNull(config);
            config.KeyStore = TerminalKeyStores.File;
            config.KeyName = null;
            config.Thumbprint = null;
        }

        public override void Abandon()
        {
        }
    }
}
