using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Agent.Configuration;
using AspService.Agent.Output;

namespace AspService.Agent.Keys;

/// <summary>
/// Windows: the key is a persisted, non-exportable CNG key (Microsoft Software Key Storage Provider) in the
/// user's profile, or the machine key store with --machine; the certificate goes into the CurrentUser or
/// LocalMachine "My" store, bound to that key. Nothing secret is written to the configuration directory.
/// Not exercised by the test suite (it runs on Linux) — see decision 0050.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed class WindowsKeyStore(bool machine) : ITerminalKeyStore
{
    private static readonly CngProvider Provider = CngProvider.MicrosoftSoftwareKeyStorageProvider;

    public string Kind => machine ? TerminalKeyStores.CngMachine : TerminalKeyStores.CngUser;

    private StoreLocation Location => machine ? StoreLocation.LocalMachine : StoreLocation.CurrentUser;

    public NewTerminalKey CreateKey()
    {
        var name = "aspagent-" + Guid.NewGuid().ToString("N");
        var parameters = new CngKeyCreationParameters
        {
            Provider = Provider,
            ExportPolicy = CngExportPolicies.None,
            KeyCreationOptions = machine ? CngKeyCreationOptions.MachineKey : CngKeyCreationOptions.None,
            KeyUsage = CngKeyUsages.Signing,
        };
        var key = CngKey.Create(CngAlgorithm.ECDsaP256, name, parameters);
        return new CngTerminalKey(this, name, key);
    }

    public X509Certificate2 LoadClientCertificate(ConfigDirectory directory, AgentConfig config, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(text);
        using var store = new X509Store(StoreName.My, Location);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        var found = string.IsNullOrEmpty(config.Thumbprint)
            ? []
            : store.Certificates.Find(X509FindType.FindByThumbprint, config.Thumbprint, validOnly: false);
        var certificate = found.Count == 1 ? found[0] : null;
        if (certificate is null || !certificate.HasPrivateKey)
        {
            throw new AgentException(ExitCode.Failed, "files-missing", text.Get("files_missing", $"{Location}\\My {config.Thumbprint}"));
        }

        return certificate;
    }

    public void Remove(AgentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Remove(config.Thumbprint, config.KeyName ?? "");
    }

    private void Remove(string? thumbprint, string keyName)
    {
        if (!string.IsNullOrEmpty(thumbprint))
        {
            using var store = new X509Store(StoreName.My, Location);
            store.Open(OpenFlags.ReadWrite);
            foreach (var certificate in store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false))
            {
                store.Remove(certificate);
                certificate.Dispose();
            }
        }

        var options = machine ? CngKeyOpenOptions.MachineKey : CngKeyOpenOptions.None;
        if (!string.IsNullOrEmpty(keyName) && CngKey.Exists(keyName, Provider, options))
        {
            using var key = CngKey.Open(keyName, Provider, options);
            key.Delete();
        }
    }

    private sealed class CngTerminalKey(WindowsKeyStore store, string name, CngKey cngKey) : NewTerminalKey
    {
        private readonly ECDsaCng _key = new(cngKey);
        private string? _thumbprint;

        public override ECDsa Key => _key;

        public override string? FilePem => null;

        public override void Install(X509Certificate2 certificate, AgentConfig config)
        {
            ArgumentNullException.ThrowIfNull(certificate);
            ArgumentNullException.ThrowIfNull(config);

            // With a persisted CNG key the copy references the key by name, so the store entry keeps working
            // after this process ends.
            using var withKey = certificate.CopyWithPrivateKey(_key);
            using var my = new X509Store(StoreName.My, store.Location);
            my.Open(OpenFlags.ReadWrite);
            my.Add(withKey);
            _thumbprint = withKey.Thumbprint;
            config.KeyStore = store.Kind;
            config.KeyName = name;
            config.Thumbprint = withKey.Thumbprint;
        }

        public override void Abandon() => store.Remove(_thumbprint, name);

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                cngKey.Dispose();
            }
        }
    }
}
