using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Agent.Configuration;
using AspService.Agent.Keys;
using AspService.Agent.Output;
using AspService.Agent.Transport;

namespace AspService.Agent.Enrollment;

/// <summary>
/// An mTLS client for the agent endpoint: the current terminal certificate as client certificate, the
/// server pinned to the provider CA saved at enrollment.
/// </summary>
public sealed class TerminalConnection : IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2Collection _providerCa;
    private readonly ServerTrust _trust;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly AgentText _text;

    private TerminalConnection(X509Certificate2 certificate, X509Certificate2Collection providerCa, Uri endpoint, ProxyChoice proxy, AgentText text)
    {
        _certificate = certificate;
        _providerCa = providerCa;
        _endpoint = endpoint;
        _text = text;
        _trust = ServerTrust.Pinned(providerCa);
        _http = AgentHttp.ForTerminal(_trust, certificate, text.LanguageTag, proxy);
    }

    /// <summary>The terminal certificate with its key (for the relay's WebSockets, which build their own handler).</summary>
    public X509Certificate2 Certificate => _certificate;

    /// <summary>The provider CA the relay's certificate must chain to.</summary>
    public X509Certificate2Collection ProviderCa => _providerCa;

    public Uri Endpoint => _endpoint;

    /// <param name="proxy">The outbound proxy; null: agent.json's <c>proxy</c>, else the system's.</param>
    public static TerminalConnection Open(ConfigDirectory directory, AgentConfig config, AgentText text, ProxyChoice? proxy = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(text);
        if (config.AgentEndpoint is not { IsAbsoluteUri: true } endpoint || endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new AgentException(ExitCode.Failed, "config-invalid", text.Get("config_corrupt", directory.ConfigPath, "agentEndpoint"));
        }

        var providerCa = LoadProviderCa(directory, text);
        var certificate = TerminalKeyStores.ForConfig(config, text).LoadClientCertificate(directory, config, text);
        proxy ??= ProxyChoice.Resolve(null, noProxy: false, config.Proxy, text);
        return new TerminalConnection(certificate, providerCa, endpoint, proxy, text);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, ServerAddress.Combine(_endpoint, path)) { Content = content };
        return await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A prepared request (e.g. with a bearer token) to the agent endpoint.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await ServerCall.SendAsync(_http, request, _trust, mutualTls: true, _text, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _http.Dispose();
        _certificate.Dispose();
        foreach (var certificate in _providerCa)
        {
            certificate.Dispose();
        }
    }

    /// <summary>provider-ca.crt: the CA the agent endpoint's (and relay's) server certificate must chain to.</summary>
    public static X509Certificate2Collection LoadProviderCa(ConfigDirectory directory, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(text);
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(directory.ProviderCaPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new AgentException(ExitCode.Failed, "files-missing", text.Get("files_missing", directory.ProviderCaPath), ex);
        }

        return collection.Count > 0
            ? collection
            : throw new AgentException(ExitCode.Failed, "files-missing", text.Get("files_missing", directory.ProviderCaPath));
    }
}
