using AspService.Server.Hosting;
using AspService.Server.Pki;
using Microsoft.Extensions.Options;

namespace AspService.Server.Relay;

/// <summary>
/// Relay role: renews the relay's TLS server certificate in place once two thirds of its life have passed. New
/// handshakes take the new certificate; open connections keep the one they were made with.
/// </summary>
public sealed class RelayCertificateRenewal(IServiceProvider services, IOptions<ServerOptions> server, TimeProvider time, ILogger<RelayCertificateRenewal> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!server.Value.ParsedRoles.HasFlag(ServerRoles.Relay))
        {
            return;
        }

        var certificate = services.GetRequiredService<RelayServerCertificate>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
                certificate.RenewIfDue();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or InvalidOperationException)
            {
                // The current certificate stays in use; the next round tries again well before it expires.
                logger.LogError(ex, "Relay server certificate renewal failed");
            }
        }
    }
}
