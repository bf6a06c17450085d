using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace AspService.Agent.Transport;

/// <summary>The two kinds of HTTP client the agent uses, and the handler they (and the relay's WebSockets) share.</summary>
public static class AgentHttp
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The enrollment endpoint: a plain web endpoint (no client certificate), system trust + --ca-file.</summary>
    public static HttpClient ForEnrollment(ServerTrust trust, string language, ProxyChoice? proxy = null) =>
        Client(Handler(trust, null, proxy), language);

    /// <summary>
    /// The mTLS endpoint: TLS 1.3 only, the terminal certificate as client certificate, the server's
    /// certificate pinned to the provider CA.
    /// </summary>
    public static HttpClient ForTerminal(ServerTrust trust, X509Certificate2 clientCertificate, string language, ProxyChoice? proxy = null)
    {
        ArgumentNullException.ThrowIfNull(clientCertificate);
        return Client(Handler(trust, clientCertificate, proxy), language);
    }

    /// <summary>
    /// The handler behind every connection: the server check, the client certificate (TLS 1.3 only when one is
    /// presented) and the outbound proxy. The relay's WebSockets use it too (ClientWebSocket with an invoker), so
    /// a data stream is authenticated exactly like an API call.
    /// </summary>
    public static SocketsHttpHandler Handler(ServerTrust trust, X509Certificate2? clientCertificate, ProxyChoice? proxy)
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
        switch (proxy?.Kind ?? ProxyKind.System)
        {
            case ProxyKind.None:
                handler.UseProxy = false;
                break;
            case ProxyKind.Explicit:
                handler.UseProxy = true;
                handler.Proxy = new FixedProxy(proxy!.Address!) { Credentials = proxy.Credentials };
                break;
            default:
                // HttpClient.DefaultProxy: HTTPS_PROXY / ALL_PROXY / NO_PROXY, or the Windows settings; on Windows a
                // domain proxy asking for NTLM/Kerberos gets the signed-in account (the machine account for the service).
                handler.UseProxy = true;
                handler.DefaultProxyCredentials = CredentialCache.DefaultCredentials;
                break;
        }

        return handler;
    }

    private static HttpClient Client(SocketsHttpHandler handler, string language)
    {
        var client = new HttpClient(handler) { Timeout = RequestTimeout };
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("aspagent", Version));
        return client;
    }

    /// <summary>The agent's version as sent in User-Agent and the relay hello.</summary>
    public static string Version => typeof(AgentHttp).Assembly.GetName().Version?.ToString(3) ?? "0";

    /// <summary>
    /// An explicitly configured proxy is used for every address, loopback included: the setting says the
    /// network allows nothing else (and WebProxy would silently go direct for local names).
    /// </summary>
    private sealed class FixedProxy(Uri address) : IWebProxy
    {
        public ICredentials? Credentials { get; set; }

        public Uri GetProxy(Uri destination) => address;

        public bool IsBypassed(Uri host) => false;
    }
}
