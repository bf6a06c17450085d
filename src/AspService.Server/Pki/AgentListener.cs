using System.Buffers;
using System.Net;
using System.Security.Authentication;
using AspService.Server.Hosting;
using AspService.Server.Relay;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace AspService.Server.Pki;

/// <summary>
/// The relay role's listener for agents: TLS 1.3 only, a client certificate required, the server certificate from
/// the provider CA. Certificates are checked right after the handshake (<see cref="TerminalVerifier"/>, against the
/// claimed tenant's roots and the database); a connection that fails is closed before any HTTP is read.
/// </summary>
public static class AgentListener
{
    /// <summary>
    /// Binds the web addresses (<c>urls</c>) and, in the relay role, the agent listener. Explicit binding is needed
    /// because Kestrel ignores <c>urls</c> as soon as one endpoint is configured in code.
    /// </summary>
    public static void Configure(WebHostBuilderContext context, KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(kestrel);
        var roles = ServerRolesParser.Parse(context.Configuration["Server:Roles"] ?? "web,relay,jobs");
        if (!roles.HasFlag(ServerRoles.Relay))
        {
            return;
        }

        var urls = context.Configuration["urls"] ?? "http://localhost:5000";
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Bind(kestrel, url, listen =>
            {
                if (url.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
                {
                    listen.UseHttps();
                }
            });
        }

        var relay = context.Configuration.GetSection(RelayOptions.Section).Get<RelayOptions>() ?? new RelayOptions();
        if (!relay.Listen.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("Relay:Listen must be an https URL");
        }

        Bind(kestrel, relay.Listen, listen => UseAgentTls(listen, kestrel.ApplicationServices));
    }

    private static void UseAgentTls(ListenOptions listen, IServiceProvider services)
    {
        var certificate = services.GetRequiredService<RelayServerCertificate>();
        var verifier = services.GetRequiredService<TerminalVerifier>();
        var metrics = services.GetRequiredService<Observability.ServiceMetrics>();
        listen.Protocols = HttpProtocols.Http1;
        UseProxyProtocol(listen, services.GetRequiredService<Relay.ProxyProtocolGate>());
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = TimeSpan.FromSeconds(10),
            OnConnection = _ => ValueTask.FromResult(ServerOptions(certificate)),
        });
        listen.Use(next => async connection =>
        {
            var tls = connection.Features.Get<ITlsConnectionFeature>();
            var client = (connection.RemoteEndPoint as IPEndPoint)?.Address.ToString();
            TerminalVerifier.Outcome outcome;
            try
            {
                outcome = await verifier.VerifyAsync(tls?.ClientCertificate, client, connection.ConnectionClosed);
            }
            catch (OperationCanceledException) when (connection.ConnectionClosed.IsCancellationRequested)
            {
                // The client left right after the handshake (a health check, a scanner): nothing to judge or log.
                return;
            }

            if (!outcome.Accepted)
            {
                metrics.HandshakeRefused(outcome.Refusal);
                connection.Abort(new ConnectionAbortedException("terminal certificate refused: " + outcome.Refusal));
                return;
            }

            connection.Features.Set(outcome.Terminal);
            await next(connection);
        });
    }

    /// <summary>
    /// The TLS side of every relay listener (this one and the data tunnel): TLS 1.3 only, the relay's certificate, a
    /// client certificate required and accepted at TLS level only to be judged right after by <see cref="TerminalVerifier"/>.
    /// </summary>
    public static SslServerAuthenticationOptions ServerOptions(RelayServerCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new SslServerAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls13,
            ServerCertificateContext = certificate.Context,
            ClientCertificateRequired = true,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            // Against the claimed tenant's own roots, not the machine's trust store, and against the database (see
            // TerminalVerifier). No certificate = refused there.
#pragma warning disable CA5359 // This validates the CLIENT's certificate, and it is validated: by TerminalVerifier, next.
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
        };
    }

    /// <summary>
    /// Before TLS: a PROXY protocol v2 header from a trusted load balancer replaces the connection's remote address
    /// (policy, audit and rate limits then see the client); a header from anyone else closes the connection.
    /// </summary>
    private static void UseProxyProtocol(ListenOptions listen, Relay.ProxyProtocolGate gate) => listen.Use(next => async connection =>
    {
        var input = connection.Transport.Input;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(Relay.ProxyProtocolGate.HeaderTimeout);
        while (true)
        {
            System.IO.Pipelines.ReadResult read;
            try
            {
                read = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                connection.Abort(new ConnectionAbortedException("no data before the timeout"));
                return;
            }

            var buffer = read.Buffer;
            var head = buffer.Slice(0, Math.Min(buffer.Length, Relay.ProxyHeader.MaxLength)).ToArray();
            var decision = gate.Decide(head, connection.RemoteEndPoint as IPEndPoint, read.IsCompleted || read.IsCanceled);
            if (decision.Verdict == Relay.ProxyProtocolGate.Verdict.NeedMore)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            if (decision.Verdict == Relay.ProxyProtocolGate.Verdict.Refuse)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                connection.Abort(new ConnectionAbortedException("PROXY protocol: " + decision.Refusal));
                return;
            }

            // Examined up to what was consumed only, so TLS reads the rest at once without waiting for more bytes.
            input.AdvanceTo(buffer.GetPosition(decision.Consumed));
            connection.RemoteEndPoint = decision.Client;
            break;
        }

        await next(connection);
    });

    private static void Bind(KestrelServerOptions kestrel, string url, Action<ListenOptions> configure)
    {
        var uri = new Uri(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
        if (uri.IsLoopback && uri.Host == "localhost")
        {
            kestrel.ListenLocalhost(uri.Port, configure);
        }
        else if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, uri.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(uri.Port, configure);
        }
    }
}
