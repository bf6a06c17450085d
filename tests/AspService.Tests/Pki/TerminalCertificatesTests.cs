using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Pki;

namespace AspService.Tests.Pki;

public sealed class TerminalCertificatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
    private static readonly Uri Crl = new("https://asp.example/pki/131016/crl");

    private static string Csr(ECDsa key) =>
        new CertificateRequest("CN=anything the client likes", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();

    private static (X509Certificate2 Ca, Guid Tenant) TenantCa(string code = "131016")
    {
        var tenant = Guid.NewGuid();
        return (CertificateAuthority.CreateTenantRoot(code, "千代田区", tenant, Now, TimeSpan.FromDays(3650)), tenant);
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, Guid tenant, ECDsa key, Guid? terminal = null, DateTimeOffset? notBefore = null, int days = 30)
    {
        var (publicKey, error) = CsrPolicy.Check(Csr(key));
        Assert.Equal(CsrError.None, error);
        var from = notBefore ?? Now;
        return TerminalCertificates.Issue(ca, publicKey!, new TerminalIdentity(tenant, terminal ?? Guid.NewGuid(), TerminalKind.Home),
            "131016", TerminalCertificates.NewSerial(), from, from.AddDays(days), Crl);
    }

    [Fact]
    public void Issue_ServerDecidesNamesAndExtensions()
    {
        var (ca, tenant) = TenantCa();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var terminal = Guid.NewGuid();

        using var cert = Issue(ca, tenant, key, terminal);

        Assert.Contains($"CN={terminal:D}", cert.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("anything the client likes", cert.Subject, StringComparison.Ordinal);
        Assert.Equal(new TerminalIdentity(tenant, terminal, TerminalKind.Home), ClientCertificateValidation.ClaimedIdentity(cert));
        var eku = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal([TerminalCertificates.ClientAuthOid], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.False(cert.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Contains(cert.Extensions.Cast<X509Extension>(), e => e.Oid?.Value == "2.5.29.31"); // CRL distribution point
        Assert.Null(cert.GetECDsaPrivateKey()); // the key never leaves the terminal
        Assert.Equal(CertificateRefusal.None, ClientCertificateValidation.Validate(cert, tenant, [ca], Now.AddMinutes(1)).Refusal);
    }

    [Fact]
    public void Validate_CertificateOfTenantA_ClaimingTenantB_Refused()
    {
        var (caA, tenantA) = TenantCa("131016");
        var (caB, tenantB) = TenantCa("011002");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (publicKey, _) = CsrPolicy.Check(Csr(key));

        // Signed by A's CA but naming a terminal of B.
        using var forged = TerminalCertificates.Issue(caA, publicKey!, new TerminalIdentity(tenantB, Guid.NewGuid(), TerminalKind.Office),
            "011002", TerminalCertificates.NewSerial(), Now, Now.AddDays(30), Crl);

        Assert.Equal(CertificateRefusal.UntrustedChain, ClientCertificateValidation.Validate(forged, tenantB, [caB], Now.AddMinutes(1)).Refusal);
        Assert.Equal(CertificateRefusal.OtherTenant, ClientCertificateValidation.Validate(forged, tenantA, [caA], Now.AddMinutes(1)).Refusal);
    }

    [Fact]
    public void Validate_SelfSignedCopyOfValidSubject_Refused()
    {
        var (ca, tenant) = TenantCa();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var genuine = Issue(ca, tenant, key);
        var copy = new CertificateRequest(genuine.SubjectName, key, HashAlgorithmName.SHA256);
        foreach (var extension in genuine.Extensions)
        {
            if (extension.Oid?.Value != "2.5.29.35")
            {
                copy.CertificateExtensions.Add(extension);
            }
        }

        using var selfSigned = copy.CreateSelfSigned(Now, Now.AddDays(30));

        Assert.Equal(CertificateRefusal.UntrustedChain, ClientCertificateValidation.Validate(selfSigned, tenant, [ca], Now.AddMinutes(1)).Refusal);
    }

    [Fact]
    public void Validate_Expired_NotYetValid_Refused()
    {
        var (ca, tenant) = TenantCa();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = Issue(ca, tenant, key);

        Assert.Equal(CertificateRefusal.Expired, ClientCertificateValidation.Validate(cert, tenant, [ca], Now.AddDays(31)).Refusal);
        Assert.Equal(CertificateRefusal.NotYetValid, ClientCertificateValidation.Validate(cert, tenant, [ca], Now.AddDays(-1)).Refusal);
    }

    [Fact]
    public void Validate_ServerAuthOnly_WrongUsage()
    {
        var (ca, tenant) = TenantCa();
        using var server = TerminalCertificates.IssueServer(ca, ["relay.asp.example"], Now, Now.AddDays(30));

        Assert.Equal(CertificateRefusal.WrongUsage, ClientCertificateValidation.Validate(server, tenant, [ca], Now.AddMinutes(1)).Refusal);
    }

    [Fact]
    public void Validate_DuringCaRollover_OldAndNewRootsBothWork()
    {
        var (oldCa, tenant) = TenantCa();
        var newCa = CertificateAuthority.CreateTenantRoot("131016", "千代田区", tenant, Now.AddDays(10), TimeSpan.FromDays(3650));
        using var key1 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var key2 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var underOld = Issue(oldCa, tenant, key1);
        using var underNew = Issue(newCa, tenant, key2, notBefore: Now.AddDays(10));

        var at = Now.AddDays(15);
        Assert.True(ClientCertificateValidation.Validate(underOld, tenant, [oldCa, newCa], at).Accepted);
        Assert.True(ClientCertificateValidation.Validate(underNew, tenant, [oldCa, newCa], at).Accepted);
        Assert.False(ClientCertificateValidation.Validate(underOld, tenant, [newCa], at).Accepted);
    }

    [Fact]
    public void CsrPolicy_WeakOrWrongKeys_Refused()
    {
        using var rsa1024 = RSA.Create(1024);
        using var rsa2048 = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Equal(CsrError.WeakOrUnsupportedKey, CsrPolicy.Check(new CertificateRequest("CN=x", rsa1024, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem()).Error);
        Assert.Equal(CsrError.WeakOrUnsupportedKey, CsrPolicy.Check(new CertificateRequest("CN=x", rsa2048, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem()).Error);
        Assert.Equal(CsrError.WeakOrUnsupportedKey, CsrPolicy.Check(Csr(p384)).Error);
    }

    [Theory]
    [InlineData(null, CsrError.Empty)]
    [InlineData("", CsrError.Empty)]
    [InlineData("hello", CsrError.NotPem)]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----", CsrError.NotPem)]
    public void CsrPolicy_Garbage_Refused(string? pem, CsrError error)
    {
        Assert.Equal(error, CsrPolicy.Check(pem).Error);
    }

    [Fact]
    public void CsrPolicy_Oversized_Refused()
    {
        Assert.Equal(CsrError.TooLarge, CsrPolicy.Check(new string('A', CsrPolicy.MaxPemLength + 1)).Error);
    }

    [Fact]
    public void CsrPolicy_TamperedSignature_Refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // A CSR carrying one public key but signed by another key: no proof of possession.
        var request = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256);
        var signed = request.CreateSigningRequest(X509SignatureGenerator.CreateForECDsa(other));
        var pem = PemEncoding.WriteString("CERTIFICATE REQUEST", signed);

        Assert.NotEqual(CsrError.None, CsrPolicy.Check(pem).Error);
    }

    [Fact]
    public void Renewal_OpensAtTwoThirds()
    {
        var from = Now;
        var to = Now.AddDays(30);

        Assert.Equal(Now.AddDays(20), TerminalCertificates.RenewalOpensAt(from, to));
        Assert.False(TerminalCertificates.IsRenewable(from, to, Now.AddDays(19.9)));
        Assert.True(TerminalCertificates.IsRenewable(from, to, Now.AddDays(20)));
        Assert.False(TerminalCertificates.IsRenewable(from, to, Now.AddDays(30).AddSeconds(1)));
    }

    [Fact]
    public void CaKey_ExportAndReattach_SignsTheSame()
    {
        var (ca, tenant) = TenantCa();
        var pkcs8 = CertificateAuthority.ExportPrivateKey(ca);
        using var publicOnly = X509CertificateLoader.LoadCertificate(ca.RawData);
        using var restored = CertificateAuthority.WithPrivateKey(publicOnly, pkcs8);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var cert = Issue(restored, tenant, key);

        Assert.True(ClientCertificateValidation.Validate(cert, tenant, [publicOnly], Now.AddMinutes(1)).Accepted);
    }

    [Fact]
    public void RevocationList_ListsRevokedSerials()
    {
        var (ca, tenant) = TenantCa();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = Issue(ca, tenant, key);
        var serial = TerminalCertificates.SerialHex(cert);

        var crl = RevocationList.Build(ca, [new RevocationList.Revoked(serial, Now.AddHours(1))], 7, Now.AddHours(1), Now.AddDays(1));

        var loaded = CertificateRevocationListBuilder.Load(crl, out var crlNumber);
        Assert.Equal(7, (int)crlNumber);
        Assert.True(loaded.RemoveEntry(cert.GetSerialNumber().Reverse().ToArray()));
    }

    [Theory]
    [InlineData("urn:aspservice:tenant:00000000-0000-0000-0000-000000000001:terminal:00000000-0000-0000-0000-000000000002:Office")]
    [InlineData("urn:aspservice:tenant:00000000-0000-0000-0000-000000000001:terminal:00000000-0000-0000-0000-000000000002:laptop")]
    [InlineData("urn:aspservice:tenant:x:terminal:00000000-0000-0000-0000-000000000002:home")]
    [InlineData("urn:aspservice:tenant:00000000-0000-0000-0000-000000000001:device:00000000-0000-0000-0000-000000000002:home")]
    [InlineData("https://evil.example/")]
    public void TerminalIdentity_Malformed_Null(string uri)
    {
        Assert.Null(TerminalIdentity.TryParse(uri));
    }
}
