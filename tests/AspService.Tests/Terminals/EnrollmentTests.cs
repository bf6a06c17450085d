using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AspService.Pki;
using AspService.Server.Tenancy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Terminals;

/// <summary>Enrollment tokens and the enrollment endpoint: what the server issues, and what it refuses without issuing anything.</summary>
public sealed class EnrollmentTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private AppFactory App => host.App;

    private HttpClient Anonymous() => App.ClientFor();

    [Fact]
    public async Task Enroll_ValidToken_IssuesServerDecidedCertificateChainingToTheTenantRoot()
    {
        var admin = await App.TenantAdminAsync();
        var token = await admin.TokenAsync("office");
        // The CSR asks for another name; the server ignores it.
        var csr = TerminalKit.NewCsr(out var key, "CN=evil,O=another-city");
        using var _ = key;

        var response = await TerminalKit.PostEnrollmentAsync(Anonymous(), admin.Tenant.Code, token, csr, "総務課 端末1");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var leaf = X509Certificate2.CreateFromPem(answer.GetProperty("certificatePem").GetString()!);
        var terminalId = answer.GetProperty("terminalId").GetGuid();
        Assert.DoesNotContain("evil", leaf.Subject, StringComparison.Ordinal);
        Assert.Equal(new TerminalIdentity(admin.Tenant.Id, terminalId, TerminalKind.Office), ClientCertificateValidation.ClaimedIdentity(leaf));
        var eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal([TerminalCertificates.ClientAuthOid], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Contains(leaf.Extensions, e => e.Oid?.Value == "2.5.29.31"); // CRL distribution point
        Assert.Equal(TimeSpan.FromDays(30), leaf.NotAfter - leaf.NotBefore - TimeSpan.FromMinutes(5));
        Assert.Equal(leaf.PublicKey.EncodedKeyValue.RawData, key.ExportSubjectPublicKeyInfo().AsSpan()[^65..].ToArray());

        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(answer.GetProperty("chainPem").GetString()!);
        using var ca = await App.TenantCaAsync(admin.Tenant);
        Assert.Equal(ca.RawData, chain[^1].RawData);
        Assert.True(ClientCertificateValidation.Validate(leaf, admin.Tenant.Id, [chain[^1]], App.Clock.GetUtcNow()).Accepted);
        Assert.DoesNotContain("PRIVATE KEY", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var listed = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url($"/api/v1/terminals/{terminalId}"));
        Assert.Equal("総務課 端末1", listed.GetProperty("name").GetString());
        Assert.Equal("active", listed.GetProperty("state").GetString());
        var actions = await App.AuditActionsAsync(admin.Tenant);
        Assert.Contains("enrollment_token.created", actions);
        Assert.Contains("terminal.enrolled", actions);
        Assert.Contains("certificate.issued", actions);
    }

    [Fact]
    public async Task Enroll_ReusedExpiredRevokedOrForeignToken_IsRefusedAndIssuesNothing()
    {
        var admin = await App.TenantAdminAsync();
        var other = await App.TenantAdminAsync();

        var used = await admin.TokenAsync();
        await TerminalKit.EnrollAsync(Anonymous(), admin.Tenant.Code, used);
        await HttpAssert.ProblemAsync(await EnrollAsync(admin, used), HttpStatusCode.Conflict, "enrollment-token-used");

        var foreign = await other.TokenAsync();
        await HttpAssert.ProblemAsync(await EnrollAsync(admin, foreign), HttpStatusCode.BadRequest, "enrollment-token-invalid");
        await HttpAssert.ProblemAsync(await EnrollAsync(admin, "not-a-token"), HttpStatusCode.BadRequest, "enrollment-token-invalid");
        await HttpAssert.ProblemAsync(await EnrollAsync(admin, ""), HttpStatusCode.BadRequest, "enrollment-token-invalid");

        var revoked = await admin.TokenAsync();
        var open = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/enrollment-tokens?open=true"));
        var revokedId = open.EnumerateArray().Single().GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync(admin.Url($"/api/v1/enrollment-tokens/{revokedId}"))).StatusCode);
        await HttpAssert.ProblemAsync(await EnrollAsync(admin, revoked), HttpStatusCode.BadRequest, "enrollment-token-invalid");

        var expiring = await admin.TokenAsync(ttlMinutes: 10);
        App.Clock.Advance(TimeSpan.FromMinutes(11));
        await HttpAssert.ProblemAsync(await EnrollAsync(admin, expiring), HttpStatusCode.BadRequest, "enrollment-token-expired");

        Assert.Equal(1, await CertificatesAsync(admin));
        Assert.Equal(0, await CertificatesAsync(other));
    }

    [Fact]
    public async Task Enroll_BadCsr_IsRefusedPreciselyAndLeavesTheTokenUsable()
    {
        var admin = await App.TenantAdminAsync();
        var token = await admin.TokenAsync();
        using var rsa = RSA.Create(1024);
        var rsaCsr = new CertificateRequest("CN=x", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var p384Csr = new CertificateRequest("CN=x", p384, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var good = TerminalKit.NewCsr(out var key);
        key.Dispose();
        var tampered = Tamper(good);

        await HttpAssert.ProblemAsync(await EnrollAsync(admin, token, "garbage"), HttpStatusCode.BadRequest, "csr-invalid");
        await HttpAssert.ProblemAsync(await EnrollAsync(admin, token, ""), HttpStatusCode.BadRequest, "csr-required");
        await HttpAssert.ProblemAsync(await EnrollAsync(admin, token, new string('A', 9000)), HttpStatusCode.BadRequest, "csr-too-large");
        await HttpAssert.ProblemAsync(await EnrollAsync(admin, token, rsaCsr), HttpStatusCode.BadRequest, "csr-key-weak");
        await HttpAssert.ProblemAsync(await EnrollAsync(admin, token, p384Csr), HttpStatusCode.BadRequest, "csr-key-weak");
        await HttpAssert.ProblemAsync(await EnrollAsync(admin, token, tampered), HttpStatusCode.BadRequest, "csr-signature");
        var notJson = await Anonymous().PostAsync(admin.Url("/api/v1/enrollments"), new StringContent("{\"token\":", System.Text.Encoding.UTF8, "application/json"));
        await HttpAssert.ProblemAsync(notJson, HttpStatusCode.BadRequest);
        Assert.Equal(0, await CertificatesAsync(admin));

        await TerminalKit.EnrollAsync(Anonymous(), admin.Tenant.Code, token);
        Assert.Equal(1, await CertificatesAsync(admin));
    }

    [Fact]
    public async Task StaffSelfRegistration_FollowsThePolicy_AndWaitsForApproval()
    {
        var admin = await App.TenantAdminAsync();
        var (staff, staffId) = await App.InviteAndSignInAsync(admin);

        await HttpAssert.ProblemAsync(await staff.Client.PostAsJsonAsync(staff.Url("/api/v1/me/enrollment-tokens"), new { }),
            HttpStatusCode.Forbidden, "self-registration-disabled");

        var policy = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/policy"));
        var document = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(policy.GetProperty("policy").GetRawText())!;
        document["allowHomeSelfRegistration"] = JsonSerializer.SerializeToElement(true);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PutAsJsonAsync(admin.Url("/api/v1/policy"), document)).StatusCode);

        var created = await staff.Client.PostAsJsonAsync(staff.Url("/api/v1/me/enrollment-tokens"), new { name = "自宅PC" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var home = await TerminalKit.EnrollAsync(Anonymous(), admin.Tenant.Code, token);
        Assert.Equal("pendingApproval", home.Answer.GetProperty("state").GetString());
        Assert.Equal("home", home.Answer.GetProperty("kind").GetString());

        var mine = await staff.Client.GetFromJsonAsync<JsonElement>(staff.Url("/api/v1/me/terminals"));
        var device = mine.GetProperty("home").EnumerateArray().Single();
        Assert.Equal("自宅PC", device.GetProperty("name").GetString());
        Assert.Equal(staffId, device.GetProperty("ownerUserId").GetGuid());

        // Staff cannot approve their own device; the admin can, once.
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.PostAsync(staff.Url($"/api/v1/terminals/{home.Id}/approve"), null)).StatusCode);
        var approved = await admin.Client.PostAsync(admin.Url($"/api/v1/terminals/{home.Id}/approve"), null);
        Assert.Equal("active", (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        await HttpAssert.ProblemAsync(await admin.Client.PostAsync(admin.Url($"/api/v1/terminals/{home.Id}/approve"), null), HttpStatusCode.Conflict, "terminal-not-pending");
        Assert.Contains("terminal.approved", await App.AuditActionsAsync(admin.Tenant));
    }

    [Fact]
    public async Task CreateToken_BadInput_IsRefusedWithFieldErrors()
    {
        var admin = await App.TenantAdminAsync();
        var url = admin.Url("/api/v1/enrollment-tokens");
        var problem = await HttpAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(url, new { kind = "laptop" }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "kind"));
        problem = await HttpAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(url, new { kind = "home" }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "ownerUserId"));
        problem = await HttpAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(url, new { kind = "office", ttlMinutes = 1 }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "ttlMinutes"));
        problem = await HttpAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(url, new { kind = "office", terminalId = Guid.NewGuid() }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "terminalId"));
        problem = await HttpAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(url, new { kind = "office", color = "red" }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "color"));
        var list = await admin.Client.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal(0, list.GetArrayLength());
    }

    [Fact]
    public async Task TenantCa_KeyIsEncryptedUnderTheTenantsOwnPurpose_AndNoApiReturnsIt()
    {
        var admin = await App.TenantAdminAsync();
        var other = await App.TenantAdminAsync();
        await using var scope = App.Services.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<TenantDbContextFactory>();
        await using var db = factory.CreateUnpooled(App.Binding(admin.Tenant));
        var row = await db.CertificateAuthorities.SingleAsync();
        using var ca = await App.TenantCaAsync(admin.Tenant);
        using var caKey = ca.GetECDsaPrivateKey()!;
        var pkcs8 = caKey.ExportPkcs8PrivateKey();
        var d = caKey.ExportParameters(true).D!;

        Assert.Equal(-1, row.PrivateKeyProtected.AsSpan().IndexOf(pkcs8));
        Assert.Equal(-1, row.PrivateKeyProtected.AsSpan().IndexOf(d));
        var dataProtection = scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>();
        var foreignPurpose = dataProtection.CreateProtector("AspService.Pki.TenantCa.v1", other.Tenant.Id.ToString("D"));
        Assert.ThrowsAny<CryptographicException>(() => foreignPurpose.Unprotect(row.PrivateKeyProtected));

        var root = await admin.Client.GetAsync(admin.Url("/api/v1/pki/root"));
        var pem = await root.Content.ReadAsStringAsync();
        Assert.Contains("BEGIN CERTIFICATE", pem, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", pem, StringComparison.Ordinal);
        var openApi = await App.ClientFor().GetStringAsync("/openapi/v1.json");
        Assert.DoesNotContain("privateKey", openApi, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Anonymous().GetAsync(admin.Url("/api/v1/pki/root"))).StatusCode);
    }

    [Fact]
    public async Task Crl_ListsRevokedSerials_SignedByTheTenantCa()
    {
        var admin = await App.TenantAdminAsync();
        var kept = await TerminalKit.EnrollAsync(Anonymous(), admin.Tenant.Code, await admin.TokenAsync());
        var revoked = await TerminalKit.EnrollAsync(Anonymous(), admin.Tenant.Code, await admin.TokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync(admin.Url($"/api/v1/terminals/{revoked.Id}/revoke"), null)).StatusCode);

        var cdp = revoked.Certificate.Extensions.Single(e => e.Oid?.Value == "2.5.29.31");
        // The address in the certificate, host included (the tenant's own host under the base domain).
        var crlUri = new Uri(CdpUri(cdp));
        Assert.Equal($"{admin.Tenant.Code}.{AppFactory.BaseDomain}", crlUri.Host);
        var response = await Anonymous().GetAsync(crlUri);
        Assert.Equal("application/pkix-crl", response.Content.Headers.ContentType?.MediaType);
        var der = await response.Content.ReadAsByteArrayAsync();

        using var ca = await App.TenantCaAsync(admin.Tenant);
        Assert.True(CrlReader.SignatureValid(der, ca));
        var listed = CertificateRevocationListBuilder.Load(der, out _);
        Assert.True(listed.RemoveEntry(Convert.FromHexString(revoked.Serial)));
        Assert.False(listed.RemoveEntry(Convert.FromHexString(kept.Serial)));

        // The CA id is looked up in the requesting tenant's own database: under another tenant it does not exist.
        var other = await App.TenantAdminAsync();
        var foreign = new UriBuilder(crlUri) { Host = $"{other.Tenant.Code}.{AppFactory.BaseDomain}" }.Uri;
        await HttpAssert.ProblemAsync(await Anonymous().GetAsync(foreign), HttpStatusCode.NotFound);
    }

    private static string CdpUri(X509Extension cdp)
    {
        // The extension holds one IA5String URI: find "http" in the DER and read to the end.
        var text = System.Text.Encoding.ASCII.GetString(cdp.RawData);
        return text[text.IndexOf("http", StringComparison.Ordinal)..];
    }

    private Task<HttpResponseMessage> EnrollAsync(TenantSession tenant, string token, string? csr = null)
    {
        if (csr is null)
        {
            csr = TerminalKit.NewCsr(out var key);
            key.Dispose();
        }

        return TerminalKit.PostEnrollmentAsync(Anonymous(), tenant.Tenant.Code, token, csr);
    }

    private async Task<int> CertificatesAsync(TenantSession tenant)
    {
        await using var db = App.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(App.Binding(tenant.Tenant));
        return await db.TerminalCertificates.CountAsync();
    }

    private static string Tamper(string pem)
    {
        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        der[der.Length - 10] ^= 0x01; // inside the signature
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE REQUEST-----";
    }
}

/// <summary>Reads just enough of a CRL to check its signature against a CA (the platform has no CRL parser).</summary>
public static class CrlReader
{
    public static bool SignatureValid(byte[] crl, X509Certificate2 ca)
    {
        var reader = new System.Formats.Asn1.AsnReader(crl, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var tbs = reader.ReadEncodedValue();
        reader.ReadSequence(); // signature algorithm
        var signature = reader.ReadBitString(out _);
        using var key = ca.GetECDsaPublicKey()!;
        return key.VerifyData(tbs.Span, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }
}
