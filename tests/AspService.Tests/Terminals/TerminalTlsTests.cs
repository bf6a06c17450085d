using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AspService.Pki;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Terminals;

/// <summary>A Kestrel host with real sockets: the web listener and the agent listener (TLS 1.3 + client certificates).</summary>
public sealed class KestrelHost : IDisposable
{
    public AppFactory App { get; } = new(kestrel: true);

    public void Dispose() => App.Dispose();
}

/// <summary>mTLS over real TLS on loopback: enrollment, renewal overlap, revocation at the next handshake, forgeries.</summary>
public sealed class TerminalTlsTests(KestrelHost host) : IClassFixture<KestrelHost>
{
    private AppFactory App => host.App;

    private HttpClient Web() => App.CreateDefaultClient(App.WebAddress);

    private async Task<(TenantSession Admin, EnrolledTerminal Terminal)> EnrolledOfficeAsync()
    {
        var admin = await App.TenantAdminAsync();
        var token = await admin.TokenAsync("office");
        return (admin, await TerminalKit.EnrollAsync(Web(), admin.Tenant.Code, token));
    }

    [Fact]
    public async Task Enrolled_terminal_reaches_mtls_endpoint_and_is_refused_after_revocation()
    {
        var (admin, terminal) = await EnrolledOfficeAsync();
        using var mtls = App.MtlsClient(terminal.Certificate);

        var self = await mtls.GetFromJsonAsync<JsonElement>("/api/v1/terminal");
        Assert.Equal(terminal.Id, self.GetProperty("terminalId").GetGuid());
        Assert.Equal(admin.Tenant.Code, self.GetProperty("tenantCode").GetString());
        Assert.Equal("active", self.GetProperty("state").GetString());

        var revoke = await admin.Client.PostAsync(admin.Url($"/api/v1/terminals/{terminal.Id}/revoke"), null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        using var again = App.MtlsClient(terminal.Certificate);
        await Assert.ThrowsAsync<HttpRequestException>(() => again.GetAsync("/api/v1/terminal"));
        Assert.Contains("terminal.handshake_refused", await App.AuditActionsAsync(admin.Tenant));
    }

    [Fact]
    public async Task Renewal_opens_at_two_thirds_and_old_and_new_certificates_overlap()
    {
        var (admin, terminal) = await EnrolledOfficeAsync();
        using var oldClient = App.MtlsClient(terminal.Certificate);

        var early = await oldClient.PostAsJsonAsync("/api/v1/terminal/renewal", new { csr = TerminalKit.NewCsr(out var unused) });
        unused.Dispose();
        await HttpAssert.ProblemAsync(early, HttpStatusCode.Conflict, "renewal-not-open");

        App.Clock.Advance(TimeSpan.FromDays(21));
        var csr = TerminalKit.NewCsr(out var key);
        var renewed = await oldClient.PostAsJsonAsync("/api/v1/terminal/renewal", new { csr });
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var answer = await renewed.Content.ReadFromJsonAsync<JsonElement>();
        using var newCertificate = TerminalKit.WithKey(answer.GetProperty("certificatePem").GetString()!, key);
        Assert.NotEqual(terminal.Serial, answer.GetProperty("serial").GetString());
        Assert.True(newCertificate.NotAfter > terminal.Certificate.NotAfter);

        // Both work during the overlap …
        using var newClient = App.MtlsClient(newCertificate);
        Assert.Equal(HttpStatusCode.OK, (await newClient.GetAsync("/api/v1/terminal")).StatusCode);
        using var oldAgain = App.MtlsClient(terminal.Certificate);
        Assert.Equal(HttpStatusCode.OK, (await oldAgain.GetAsync("/api/v1/terminal")).StatusCode);

        // … until the old one expires.
        App.Clock.Advance(TimeSpan.FromDays(10));
        using var oldExpired = App.MtlsClient(terminal.Certificate);
        await Assert.ThrowsAsync<HttpRequestException>(() => oldExpired.GetAsync("/api/v1/terminal"));
        using var newStill = App.MtlsClient(newCertificate);
        Assert.Equal(HttpStatusCode.OK, (await newStill.GetAsync("/api/v1/terminal")).StatusCode);
        Assert.Contains("certificate.renewed", await App.AuditActionsAsync(admin.Tenant));
    }

    [Fact]
    public async Task Tls12_client_is_refused()
    {
        var (_, terminal) = await EnrolledOfficeAsync();
        using var tls12 = App.MtlsClient(terminal.Certificate, SslProtocols.Tls12);
        await Assert.ThrowsAsync<HttpRequestException>(() => tls12.GetAsync("/api/v1/terminal"));
    }

    [Fact]
    public async Task Connection_without_client_certificate_is_refused()
    {
        using var anonymous = App.MtlsClient(null);
        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.GetAsync("/api/v1/terminal"));
    }

    [Fact]
    public async Task Certificate_from_tenant_A_naming_tenant_B_terminal_is_refused()
    {
        var (adminA, _) = await EnrolledOfficeAsync();
        var (adminB, terminalB) = await EnrolledOfficeAsync();
        using var caA = await App.TenantCaAsync(adminA.Tenant);
        using var forged = Forge(caA, new TerminalIdentity(adminB.Tenant.Id, terminalB.Id, TerminalKind.Office), TerminalCertificates.ClientAuthOid);
        using var client = App.MtlsClient(forged);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/api/v1/terminal"));
        Assert.Contains("terminal.handshake_refused", await App.AuditActionsAsync(adminB.Tenant));
    }

    [Fact]
    public async Task Self_signed_copy_of_a_valid_certificate_is_refused()
    {
        var (admin, terminal) = await EnrolledOfficeAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(terminal.Certificate.SubjectName, key, HashAlgorithmName.SHA256);
        foreach (var extension in terminal.Certificate.Extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        using var copy = request.Create(terminal.Certificate.IssuerName, X509SignatureGenerator.CreateForECDsa(key),
            terminal.Certificate.NotBefore, terminal.Certificate.NotAfter, Convert.FromHexString(terminal.Serial));
        using var withKey = TerminalKit.WithKey(copy.ExportCertificatePem(), key);
        using var client = App.MtlsClient(withKey);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/api/v1/terminal"));
        Assert.Contains("terminal.handshake_refused", await App.AuditActionsAsync(admin.Tenant));
    }

    [Fact]
    public async Task Properly_signed_certificate_unknown_to_the_database_or_with_wrong_usage_is_refused()
    {
        var (admin, terminal) = await EnrolledOfficeAsync();
        using var ca = await App.TenantCaAsync(admin.Tenant);
        var identity = new TerminalIdentity(admin.Tenant.Id, terminal.Id, TerminalKind.Office);
        using var unknownSerial = Forge(ca, identity, TerminalCertificates.ClientAuthOid);
        using var serverUsage = Forge(ca, identity, TerminalCertificates.ServerAuthOid);
        foreach (var certificate in new[] { unknownSerial, serverUsage })
        {
            using var client = App.MtlsClient(certificate);
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/api/v1/terminal"));
        }

        using var genuine = App.MtlsClient(terminal.Certificate);
        Assert.Equal(HttpStatusCode.OK, (await genuine.GetAsync("/api/v1/terminal")).StatusCode);
    }

    [Fact]
    public async Task Agent_listener_serves_no_web_endpoint_and_web_listener_no_terminal_endpoint()
    {
        var (admin, terminal) = await EnrolledOfficeAsync();
        using var mtls = App.MtlsClient(terminal.Certificate);
        Assert.Equal(HttpStatusCode.NotFound, (await mtls.GetAsync("/api/v1/tenant")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mtls.GetAsync($"/t/{admin.Tenant.Code}/api/v1/tenant")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await mtls.GetAsync("/api/v1/ops/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Web().GetAsync($"/t/{admin.Tenant.Code}/api/v1/terminal")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Web().GetAsync("/api/v1/terminal")).StatusCode);
    }

    [Fact]
    public async Task Disabling_the_owner_revokes_their_home_device()
    {
        var admin = await App.TenantAdminAsync();
        var (_, staffId) = await App.InviteAndSignInAsync(admin);
        var token = await admin.TokenAsync("home", ownerUserId: staffId);
        var home = await TerminalKit.EnrollAsync(Web(), admin.Tenant.Code, token);
        using (var before = App.MtlsClient(home.Certificate))
        {
            Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/v1/terminal")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync(admin.Url($"/api/v1/users/{staffId}/disable"), null)).StatusCode);
        using var after = App.MtlsClient(home.Certificate);
        await Assert.ThrowsAsync<HttpRequestException>(() => after.GetAsync("/api/v1/terminal"));
    }

    [Fact]
    public async Task Unenroll_revokes_the_terminal_itself()
    {
        var (admin, terminal) = await EnrolledOfficeAsync();
        using (var mtls = App.MtlsClient(terminal.Certificate))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await mtls.DeleteAsync("/api/v1/terminal")).StatusCode);
        }

        using var again = App.MtlsClient(terminal.Certificate);
        await Assert.ThrowsAsync<HttpRequestException>(() => again.GetAsync("/api/v1/terminal"));
        var listed = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url($"/api/v1/terminals/{terminal.Id}"));
        Assert.Equal("unenrolled", listed.GetProperty("state").GetString());
    }

    private static X509Certificate2 Forge(X509Certificate2 ca, TerminalIdentity identity, string usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={identity.TerminalId}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(identity.ToUri());
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var now = DateTimeOffset.UtcNow;
        using var signer = ca.GetECDsaPrivateKey()!;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(signer), now.AddDays(-1), now.AddDays(20), TerminalCertificates.NewSerial());
        return TerminalKit.WithKey(issued.ExportCertificatePem(), key);
    }
}
