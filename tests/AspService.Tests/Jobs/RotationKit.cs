using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Data.Tenancy;
using AspService.Data.TenantData;
using AspService.Data.Terminals;
using AspService.Pki;
using AspService.Server.Jobs.Work;
using AspService.Server.Pki;
using AspService.Server.Tenancy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Jobs;

/// <summary>Terminal certificates planted straight into a tenant database, issued by its real CA (dates chosen by the test).</summary>
internal static class RotationKit
{
    public sealed record Planted(Guid TerminalId, string Serial, X509Certificate2 Certificate);

    /// <summary>Issues a certificate with the tenant's current CA and records terminal and certificate as enrollment would.</summary>
    public static async Task<Planted> PlantAsync(AppFactory app, TenantBinding binding, DateTimeOffset notBefore, DateTimeOffset notAfter,
        Guid? terminalId = null, string? renewedFrom = null, TerminalState state = TerminalState.Active, string name = "庁内PC")
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(binding);
        var (caId, ca) = (await scope.ServiceProvider.GetRequiredService<TenantCaStore>().CurrentAsync(CancellationToken.None))!.Value;
        using var _ = ca;
        var id = terminalId ?? Guid.NewGuid();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = new CertificateRequest("CN=agent", key, HashAlgorithmName.SHA256).PublicKey;
        using var issued = TerminalCertificates.Issue(ca, publicKey, new TerminalIdentity(binding.TenantId, id, TerminalKind.Office), binding.Code,
            TerminalCertificates.NewSerial(), notBefore, notAfter, new Uri("https://asp.test/crl"));
        using var withKey = issued.CopyWithPrivateKey(key);
        var certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        var db = scope.ServiceProvider.GetRequiredService<TenantDbContext>();
        if (terminalId is null)
        {
            db.Terminals.Add(new Terminal { Id = id, Kind = TerminalKind.Office, Name = name, State = state, CreatedAt = notBefore });
        }

        var serial = TerminalCertificates.SerialHex(certificate);
        db.TerminalCertificates.Add(new TerminalCertificate
        {
            Serial = serial,
            TerminalId = id,
            CaId = caId,
            Thumbprint = TerminalVerifier.Thumbprint(certificate),
            Der = certificate.RawData,
            NotBefore = certificate.NotBefore.ToUniversalTime(),
            NotAfter = certificate.NotAfter.ToUniversalTime(),
            IssuedAt = notBefore,
            RenewedFrom = renewedFrom,
        });
        await db.SaveChangesAsync();
        return new Planted(id, serial, certificate);
    }

    public static Task<string> RotateAsync(AppFactory app, Guid tenantId) =>
        app.Services.GetRequiredService<TenantCertificateRotationJob>().RunAsync(tenantId, CancellationToken.None);

    public static async Task<List<(string Action, string? Subject, string? Detail)>> AuditAsync(AppFactory app, TenantBinding binding, string action)
    {
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding);
        return (await db.AuditLog.Where(a => a.Action == action).OrderBy(a => a.Sequence).Select(a => new { a.Action, a.Subject, a.Detail }).ToListAsync())
            .Select(a => (a.Action, a.Subject, a.Detail)).ToList();
    }

    public static async Task<int> CaCountAsync(AppFactory app, TenantBinding binding)
    {
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding);
        return await db.CertificateAuthorities.CountAsync();
    }

    /// <summary>Bodies of the certificate-expiry mails sent to an address (.eml files of the embedded mail sender).</summary>
    public static List<string> ExpiryMails(AppFactory app, string email)
    {
        var folder = Path.Combine(app.DataRoot, "mail");
        var mails = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [];
        return [.. mails.Select(File.ReadAllText)
            .Where(t => Outbox.IsTo(t, email))
            .Select(TenantIdentityKit.Body)
            .Where(b => b.Contains("証明書が更新されないまま", StringComparison.Ordinal))];
    }

    /// <summary>
    /// An agent-listener client that keeps its connection (keep-alive, one connection) and records the server
    /// certificate of every handshake; the relay chain is checked at the fake clock's time.
    /// </summary>
    public static HttpClient KeepAliveClient(AppFactory app, X509Certificate2 certificate, List<X509Certificate2> handshakes)
    {
        var providerCa = app.Services.GetRequiredService<ProviderCa>().Certificate;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                TargetHost = "localhost",
                ClientCertificates = new X509CertificateCollection { certificate },
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) =>
                {
                    if (server is not X509Certificate2 s)
                    {
                        return false;
                    }

                    lock (handshakes)
                    {
                        handshakes.Add(X509CertificateLoader.LoadCertificate(s.RawData));
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(providerCa);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chain.ChainPolicy.VerificationTime = app.Clock.GetUtcNow().UtcDateTime;
                    return chain.Build(s);
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = app.AgentAddress, Timeout = TimeSpan.FromSeconds(30) };
    }
}
