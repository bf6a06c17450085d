using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AspService.Data.Tenancy;
using AspService.Server.Pki;
using AspService.Server.Tenancy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Terminals;

/// <summary>An enrolled terminal as a test holds it: the certificate with its key, and the server's answer.</summary>
public sealed record EnrolledTerminal(X509Certificate2 Certificate, JsonElement Answer)
{
    public Guid Id => Answer.GetProperty("terminalId").GetGuid();

    public string Serial => Answer.GetProperty("serial").GetString()!;

    public string ProviderCaPem => Answer.GetProperty("providerCaPem").GetString()!;
}

public static class TerminalKit
{
    public static string NewCsr(out ECDsa key, string subject = "CN=agent")
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }

    public static async Task<string> TokenAsync(this TenantSession admin, string kind = "office", Guid? ownerUserId = null, Guid? terminalId = null, int? ttlMinutes = null)
    {
        var response = await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/enrollment-tokens"), new { kind, ownerUserId, terminalId, ttlMinutes });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public static Task<HttpResponseMessage> PostEnrollmentAsync(HttpClient client, string tenantCode, string token, string csr, string? name = null) =>
        client.PostAsJsonAsync($"/t/{tenantCode}/api/v1/enrollments", new { token, csr, name });

    /// <summary>Enrolls with a fresh key; the returned certificate carries the key, ready for a TLS client.</summary>
    public static async Task<EnrolledTerminal> EnrollAsync(HttpClient client, string tenantCode, string token, string? name = null)
    {
        var csr = NewCsr(out var key);
        using var _ = key;
        var response = await PostEnrollmentAsync(client, tenantCode, token, csr, name);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new EnrolledTerminal(WithKey(answer.GetProperty("certificatePem").GetString()!, key), answer);
    }

    public static X509Certificate2 WithKey(string certificatePem, ECDsa key)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        using var withKey = certificate.CopyWithPrivateKey(key);
        // Through PKCS#12 so the platform's TLS stack can use the key as a client credential.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A TLS client for the agent listener: presents the certificate, trusts only the provider CA.</summary>
    public static HttpClient MtlsClient(this AppFactory app, X509Certificate2? certificate, SslProtocols protocols = SslProtocols.Tls13)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, SslOptions = app.AgentTlsOptions(certificate, protocols) };
        return new HttpClient(handler) { BaseAddress = app.AgentAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>TLS options of an agent: presents the certificate (if any), trusts only the provider CA.</summary>
    public static SslClientAuthenticationOptions AgentTlsOptions(this AppFactory app, X509Certificate2? certificate, SslProtocols protocols = SslProtocols.Tls13)
    {
        var providerCa = app.Services.GetRequiredService<ProviderCa>().Certificate;
        return new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = protocols,
            TargetHost = "localhost",
            ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate!,
            RemoteCertificateValidationCallback = (_, server, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(providerCa);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return server is X509Certificate2 s && chain.Build(s);
            },
        };
    }

    /// <summary>The tenant CA with its key, read the way the server reads it (tests forge certificates with it).</summary>
    public static async Task<X509Certificate2> TenantCaAsync(this AppFactory app, TenantDto tenant)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(app.Binding(tenant));
        var current = await scope.ServiceProvider.GetRequiredService<TenantCaStore>().CurrentAsync(CancellationToken.None);
        return current!.Value.Certificate;
    }

    public static TenantBinding BindingOf(this AppFactory app, TenantDto tenant) => app.Binding(tenant);
}
