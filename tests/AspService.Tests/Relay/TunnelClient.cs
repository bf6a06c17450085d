using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AspService.Relay;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Relay;

/// <summary>The relay's raw data tunnel from the agent's side: TLS 1.3 with a terminal certificate, one request head, the answer.</summary>
public sealed record TunnelAnswer(int Status, string? Problem, JsonElement? Body, SslStream? Stream);

public static class TunnelClient
{
    public static async Task<TunnelAnswer> OpenAsync(this AppFactory app, Uri tunnel, X509Certificate2 certificate, string pathAndQuery,
        string? ticket = null, bool upgrade = true)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(tunnel.Host, tunnel.Port);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
            ClientCertificateContext = SslStreamCertificateContext.Create(certificate, null, offline: true),
            RemoteCertificateValidationCallback = app.ProviderCaOnly(),
        });
        var headers = new Dictionary<string, string>();
        if (ticket is not null)
        {
            headers["X-Relay-Ticket"] = ticket;
        }

        var head = upgrade ? TunnelProtocol.RequestHead(pathAndQuery, tunnel.Authority, headers)
            : System.Text.Encoding.ASCII.GetBytes($"GET {pathAndQuery} HTTP/1.1\r\nHost: {tunnel.Authority}\r\n\r\n");
        try
        {
            await tls.WriteAsync(head);
            var answer = await TunnelProtocol.ReadHeadAsync(tls, CancellationToken.None);
            var status = answer is null ? 0 : TunnelProtocol.Status(answer);
            if (status == 101)
            {
                return new TunnelAnswer(status, null, null, tls);
            }

            var problem = answer?.Split("\r\n").FirstOrDefault(l => l.StartsWith("X-Relay-Problem:", StringComparison.Ordinal))?[16..].Trim();
            using var body = new MemoryStream();
            await tls.CopyToAsync(body);
            await tls.DisposeAsync();
            return new TunnelAnswer(status, problem, body.Length == 0 ? null : JsonDocument.Parse(body.ToArray()).RootElement.Clone(), null);
        }
        catch (IOException)
        {
            // Closed right after the handshake: the certificate was refused.
            await tls.DisposeAsync();
            return new TunnelAnswer(0, null, null, null);
        }
    }
}
