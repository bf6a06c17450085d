using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Agent.Configuration;
using AspService.Agent.Output;

namespace AspService.Agent.Keys;

/// <summary>
/// Where the terminal's private key lives. It is generated on this computer and never sent anywhere: only
/// a CSR (public key + signature) goes to the server.
/// </summary>
public interface ITerminalKeyStore
{
    /// <summary>Recorded as <c>keyStore</c> in agent.json.</summary>
    string Kind { get; }

    /// <summary>A fresh ECDSA P-256 key for an enrollment or a renewal.</summary>
    NewTerminalKey CreateKey();

    /// <summary>The current certificate with its private key, ready to present as a TLS client certificate.</summary>
    X509Certificate2 LoadClientCertificate(ConfigDirectory directory, AgentConfig config, AgentText text);

    /// <summary>Removes what the store holds for this configuration (nothing for the file store: the file goes with the directory).</summary>
    void Remove(AgentConfig config);
}

/// <summary>A key that exists only until the server issued its certificate, or is abandoned.</summary>
public abstract class NewTerminalKey : IDisposable
{
    public abstract ECDsa Key { get; }

    /// <summary>PKCS#8 PEM for terminal.key, or null when the key lives in a store.</summary>
    public abstract string? FilePem { get; }

    /// <summary>The server ignores the subject (it decides every name), so it says only who asked.</summary>
    public string CreateSigningRequestPem() =>
        new CertificateRequest("CN=aspagent", Key, HashAlgorithmName.SHA256).CreateSigningRequestPem();

    /// <summary>Keeps the key with its issued certificate and records where in <paramref name="config"/>.</summary>
    public abstract void Install(X509Certificate2 certificate, AgentConfig config);

    /// <summary>Forgets a key whose certificate was never issued or could not be saved.</summary>
    public abstract void Abandon();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Key.Dispose();
        }
    }
}

public static class TerminalKeyStores
{
    public const string File = "file";
    public const string CngUser = "cng-user";
    public const string CngMachine = "cng-machine";

    /// <summary>The store a new enrollment uses on this OS.</summary>
    public static ITerminalKeyStore ForNewEnrollment(bool machine) =>
        OperatingSystem.IsWindows() ? new WindowsKeyStore(machine) : new FileKeyStore();

    /// <summary>The store an existing configuration names.</summary>
    public static ITerminalKeyStore ForConfig(AgentConfig config, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(text);
        return config.KeyStore switch
        {
            File => new FileKeyStore(),
            CngUser or CngMachine when OperatingSystem.IsWindows() => new WindowsKeyStore(config.KeyStore == CngMachine),
            _ => throw new AgentException(ExitCode.Failed, "config-invalid", text.Get("config_corrupt", ConfigDirectory.ConfigFile, "keyStore: " + config.KeyStore)),
        };
    }
}
