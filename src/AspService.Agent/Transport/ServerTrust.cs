using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AspService.Pki;

namespace AspService.Agent.Transport;

/// <summary>
/// Validates the server's TLS certificate and remembers why it failed, so a failed request can be told
/// apart from a refused or unreachable one. Validation is never switched off: the host name must always
/// match, and the chain must end at a trusted root.
/// </summary>
public sealed class ServerTrust
{
    private readonly X509Certificate2Collection? _customRoots;
    private readonly bool _systemTrust;

    private ServerTrust(X509Certificate2Collection? customRoots, bool systemTrust)
    {
        _customRoots = customRoots;
        _systemTrust = systemTrust;
    }

    /// <summary>The mTLS endpoint: its certificate must chain to the provider CA and nothing else.</summary>
    public static ServerTrust Pinned(X509Certificate2Collection providerCa) => new(providerCa, systemTrust: false);

    /// <summary>The enrollment endpoint: the system's roots, plus --ca-file roots when given.</summary>
    public static ServerTrust System(X509Certificate2Collection? extraRoots) => new(extraRoots, systemTrust: true);

    /// <summary>Why the last handshake's server certificate was rejected; null when it was not.</summary>
    public string? Failure { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        Failure = Check(certificate, chain, errors);
        return Failure is null;
    }

    private string? Check(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return "host name mismatch";
        }

        if (_systemTrust && errors == SslPolicyErrors.None)
        {
            return null;
        }

        if (_customRoots is null || _customRoots.Count == 0)
        {
            return Describe(chain) ?? "untrusted chain";
        }

        using var leaf = new X509Certificate2(certificate);
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_customRoots);
        if (chain is not null)
        {
            // Intermediates the server sent.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        // The provider CA publishes no CRL for server certificates; it re-issues them short-lived instead.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.DisableCertificateDownloads = true;
        custom.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(TerminalCertificates.ServerAuthOid));
        return custom.Build(leaf) ? null : Describe(custom) ?? "untrusted chain";
    }

    private static string? Describe(X509Chain? chain) =>
        chain?.ChainStatus.Select(s => s.StatusInformation.Trim()).FirstOrDefault(s => s.Length > 0);
}
