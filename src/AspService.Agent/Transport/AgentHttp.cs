using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace AspService.Agent.Transport;

/// <summary>The two kinds of HTTP client the agent uses.</summary>
public static class AgentHttp
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The enrollment endpoint: a plain web endpoint (no client certificate), system trust + --ca-file.</summary>
    public static HttpClient ForEnrollment(ServerTrust trust, string language) => Create(trust, null, language);

    /// <summary>
    /// The mTLS endpoint: TLS 1.3 only, the terminal certificate as client certificate, the server's
    /// certificate pinned to the provider CA.
    /// </summary>
    public static HttpClient ForTerminal(ServerTrust trust, X509Certificate2 clientCertificate, string language)
    {
        ArgumentNullException.ThrowIfNull(clientCertificate);
        return Create(trust, clientCertificate, language);
    }

    private static HttpClient Create(ServerTrust trust, X509Certificate2? clientCertificate, string language)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var ssl = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = trust.Validate };
        if (clientCertificate is not null)
        {
            ssl.EnabledSslProtocols = SslProtocols.Tls13;

            // A context (rather than ClientCertificates) presents the certificate whatever CA names the server
            // lists as acceptable, and never goes online to build the client's own chain.
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, additionalCertificates: null, offline: true);
        }

        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout,
            SslOptions = ssl,
            AllowAutoRedirect = false,
        };
        var client = new HttpClient(handler) { Timeout = RequestTimeout };
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("aspagent", typeof(AgentHttp).Assembly.GetName().Version?.ToString(3) ?? "0"));
        return client;
    }
}
