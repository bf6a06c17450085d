using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Agent.Configuration;
using AspService.Agent.Keys;
using AspService.Agent.Output;
using AspService.Pki;

namespace AspService.Agent.Enrollment;

/// <summary>
/// Keeps an issued certificate (from enroll or renew): checks that the answer is the certificate for the
/// key that was just generated, then stores key, chain, provider CA and agent.json as one unit. The caller
/// abandons the key when this throws.
/// </summary>
public static class Installation
{
    public static AgentConfig Install(
        IssuedCertificate issued,
        NewTerminalKey key,
        ConfigDirectory directory,
        Uri server,
        AgentConfig? previous,
        DateTimeOffset now,
        AgentText text)
    {
        ArgumentNullException.ThrowIfNull(issued);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(text);
        using var leaf = Check(issued, key, text);
        var config = new AgentConfig
        {
            Server = server,
            AgentEndpoint = issued.AgentEndpoint!,
            TenantId = issued.TenantId,
            TenantCode = issued.TenantCode ?? "",
            TenantName = issued.TenantName ?? "",
            TerminalId = issued.TerminalId,
            Kind = issued.Kind ?? "",
            Name = issued.Name ?? "",
            State = issued.State ?? "",
            Serial = string.IsNullOrEmpty(issued.Serial) ? TerminalCertificates.SerialHex(leaf) : issued.Serial.ToLowerInvariant(),
            NotBefore = issued.NotBefore,
            NotAfter = issued.NotAfter,
            RenewalOpensAt = issued.RenewalOpensAt,
            EnrolledAt = previous?.EnrolledAt ?? now,
            RenewedAt = previous is null ? null : now,
            Proxy = previous?.Proxy,
        };
        key.Install(leaf, config);
        directory.Save(config, key.FilePem, Normalize(issued.ChainPem ?? issued.CertificatePem!), Normalize(issued.ProviderCaPem!), text);
        return config;
    }

    /// <summary>The leaf, after checking the answer really is the certificate for <paramref name="key"/>.</summary>
    private static X509Certificate2 Check(IssuedCertificate issued, NewTerminalKey key, AgentText text)
    {
        if (issued.AgentEndpoint is not { IsAbsoluteUri: true } endpoint || endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw Bad(text, "agentEndpoint must be an https URL");
        }

        if (string.IsNullOrWhiteSpace(issued.CertificatePem) || string.IsNullOrWhiteSpace(issued.ProviderCaPem))
        {
            throw Bad(text, "certificatePem and providerCaPem are required");
        }

        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPem(issued.CertificatePem);
            var providerCa = new X509Certificate2Collection();
            providerCa.ImportFromPem(issued.ProviderCaPem);
            if (providerCa.Count == 0)
            {
                throw new CryptographicException("providerCaPem holds no certificate");
            }

            foreach (var certificate in providerCa)
            {
                certificate.Dispose();
            }
        }
        catch (CryptographicException ex)
        {
            throw Bad(text, ex.Message);
        }

        var identity = ClientCertificateValidation.ClaimedIdentity(leaf);
        var samePublicKey = leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.Key.ExportSubjectPublicKeyInfo());
        if (!samePublicKey || identity is null || identity.TerminalId != issued.TerminalId || identity.TenantId != issued.TenantId)
        {
            leaf.Dispose();
            throw Bad(text, samePublicKey ? "the certificate names another terminal" : "the certificate is not for the key generated here");
        }

        return leaf;
    }

    private static string Normalize(string pem) => pem.ReplaceLineEndings("\n").Trim() + "\n";

    private static AgentException Bad(AgentText text, string reason) =>
        new(ExitCode.Failed, "bad-response", text.Get("bad_response", AgentConsole.OneLine(reason)));
}
