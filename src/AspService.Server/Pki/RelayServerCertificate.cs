using System.Security.Cryptography.X509Certificates;
using AspService.Pki;
using AspService.Server.Relay;
using Microsoft.Extensions.Options;

namespace AspService.Server.Pki;

/// <summary>
/// The relay's TLS server certificate, issued by the provider CA when first needed and swapped in place by
/// <see cref="RenewIfDue"/>: each new handshake picks up <see cref="Current"/>, open connections keep theirs.
/// </summary>
public sealed class RelayServerCertificate(ProviderCa providerCa, IOptions<RelayOptions> options, TimeProvider time, ILogger<RelayServerCertificate> logger)
{
    private readonly Lock _lock = new();
    private X509Certificate2? _current;
    private System.Net.Security.SslStreamCertificateContext? _context;

    /// <summary>
    /// The TLS context of <see cref="Current"/>, built once per certificate and shared by every handshake (building
    /// it per connection costs memory and handshake time).
    /// </summary>
    public System.Net.Security.SslStreamCertificateContext Context
    {
        get
        {
            lock (_lock)
            {
                var current = _current ??= Issue();
                if (_context is null || !ReferenceEquals(_context.TargetCertificate, current))
                {
                    _context = System.Net.Security.SslStreamCertificateContext.Create(current, additionalCertificates: null, offline: true);
                }

                return _context;
            }
        }
    }

    public X509Certificate2 Current
    {
        get
        {
            lock (_lock)
            {
                return _current ??= Issue();
            }
        }
    }

    /// <summary>Replaces the certificate once two thirds of its life have passed. Returns true when it did.</summary>
    public bool RenewIfDue()
    {
        lock (_lock)
        {
            var current = _current ??= Issue();
            if (!TerminalCertificates.IsRenewable(current.NotBefore.ToUniversalTime(), current.NotAfter.ToUniversalTime(), time.GetUtcNow())
                && time.GetUtcNow() < current.NotAfter.ToUniversalTime())
            {
                return false;
            }

            _current = Issue();
            logger.LogInformation("Relay server certificate renewed; valid until {NotAfter:u}", _current.NotAfter.ToUniversalTime());
            return true;
        }
    }

    private X509Certificate2 Issue()
    {
        var now = time.GetUtcNow();
        var names = options.Value.ServerNames is { Length: > 0 } configured ? configured : ["localhost"];
        using var issued = TerminalCertificates.IssueServer(providerCa.Certificate, names, now.AddMinutes(-5), now + options.Value.ServerCertificateLifetime);
        // Through PKCS#12 so the key is usable by the platform's TLS stack everywhere (ephemeral keys are not on Windows).
        return X509CertificateLoader.LoadPkcs12(issued.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}
