using System.Security.Cryptography.X509Certificates;
using AspService.Agent.Configuration;
using AspService.Agent.Enrollment;
using AspService.Agent.Keys;
using AspService.Agent.Output;
using AspService.Agent.Transport;

namespace AspService.Agent.Relay;

/// <summary>
/// The terminal certificate (with its key) and the pinned provider CA, read from the configuration directory each
/// time a connection is opened, so a renewal by <c>aspagent renew</c> is picked up by the next connection.
/// </summary>
public sealed class RelayCredentials : IDisposable
{
    private RelayCredentials(X509Certificate2 certificate, X509Certificate2Collection providerCa)
    {
        Certificate = certificate;
        ProviderCa = providerCa;
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2Collection ProviderCa { get; }

    public static RelayCredentials Load(ConfigDirectory directory, AgentConfig config, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(config);
        var providerCa = TerminalConnection.LoadProviderCa(directory, text);
        var certificate = TerminalKeyStores.ForConfig(config, text).LoadClientCertificate(directory, config, text);
        return new RelayCredentials(certificate, providerCa);
    }

    public RelayClient Client(ProxyChoice proxy, AgentText text) => new(Certificate, ProviderCa, proxy, text);

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var certificate in ProviderCa)
        {
            certificate.Dispose();
        }
    }
}
