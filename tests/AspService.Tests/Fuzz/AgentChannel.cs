using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;

namespace AspService.Tests.Fuzz;

/// <summary>Raw connections to the relay's agent listener: plain TCP (bytes before any TLS) or TLS 1.3 with a client certificate.</summary>
public static class AgentChannel
{
    public static async Task<TcpClient> TcpAsync(AppFactory app, CancellationToken ct, Uri? address = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        address ??= app.AgentAddress;
        await tcp.ConnectAsync(address.Host, address.Port, ct);
        return tcp;
    }

    /// <summary>A TLS stream over <paramref name="tcp"/>, trusting only the provider CA, presenting <paramref name="certificate"/> if any.</summary>
    public static async Task<SslStream> TlsAsync(AppFactory app, TcpClient tcp, X509Certificate2? certificate, CancellationToken ct)
    {
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(app.AgentTlsOptions(certificate), ct);
        return ssl;
    }

    /// <summary>One hand-written request over a fresh mTLS connection to the agent listener.</summary>
    public static async Task<RawReply> SendAsync(AppFactory app, X509Certificate2 certificate, byte[] head, byte[]? body, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using var tcp = await TcpAsync(app, cts.Token);
            await using var ssl = await TlsAsync(app, tcp, certificate, cts.Token);
            return await RawHttp.ExchangeAsync(ssl, head, body, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return new RawReply(null, true, "");
        }
        catch (Exception e) when (e is IOException or AuthenticationException or SocketException)
        {
            // Refused at TLS level or reset: no HTTP status, no server error.
            return new RawReply(null, false, e.GetType().Name);
        }
    }
}
