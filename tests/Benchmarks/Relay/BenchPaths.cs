using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace AspService.Benchmarks.Relay;

/// <summary>Where a path's setup time goes, where the path can tell (the relay: broker request, WebSocket connect).</summary>
public interface ISetupBreakdown
{
    void Reset();

    Task<string> DescribeAsync(CancellationToken ct);
}

/// <summary>One way from the benchmark's client to the echo service, and the processes in the middle.</summary>
public sealed class BenchPath(string name, string route, int tlsHops, Func<CancellationToken, Task<Stream>> open, Func<IReadOnlyList<int>> middle,
    ISetupBreakdown? breakdown = null)
{
    public ISetupBreakdown? Breakdown { get; } = breakdown;

    public string Name { get; } = name;

    /// <summary>What the bytes cross, for the table.</summary>
    public string Route { get; } = route;

    public int TlsHops { get; } = tlsHops;

    /// <summary>The proxy processes (CPU time and memory are summed over them); none for the direct path.</summary>
    public IReadOnlyList<int> Middle() => middle();

    public Task<Stream> OpenAsync(CancellationToken ct) => open(ct);

    /// <summary>Plain TCP to a port: the echo service itself, or a local stunnel that carries it on.</summary>
    public static Func<CancellationToken, Task<Stream>> PlainTo(int port) => async ct =>
        new NetworkStream(await Relay.Tcp.ConnectAsync(port, ct), ownsSocket: true);

    /// <summary>TLS 1.3 with the client certificate, trusting only the benchmark CA (as the relay's agents pin theirs).</summary>
    public static Func<CancellationToken, Task<Stream>> TlsTo(int port, BenchCertificates certificates) => async ct =>
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var ssl = new SslStream(new NetworkStream(await Relay.Tcp.ConnectAsync(port, ct), ownsSocket: true));
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = new X509CertificateCollection { certificates.Client },
                RemoteCertificateValidationCallback = certificates.Validation,
            }, ct);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    };
}
