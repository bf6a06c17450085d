using AspService.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using QRCoder;

namespace AspService.Server.Identity;

/// <summary>A new authenticator key as shown to its owner: the key for manual entry, the otpauth URI and its QR code (SVG).</summary>
public sealed record TotpKey(byte[] Secret, string Base32Secret, string OtpauthUri, string QrSvg)
{
    /// <summary>The QR code as a <c>data:</c> image (the consoles' CSP allows data: images, no other source).</summary>
    public static string DataUri(string qrSvg) =>
        "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(qrSvg ?? ""));
}

/// <summary>
/// The request tenant's TOTP secrets: new keys with their QR code, and the encryption at rest (Data Protection with a
/// purpose bound to the tenant, so a secret copied into another tenant's database does not decrypt). First enrolment at
/// sign-in and re-enrolment on the account page use the same keys and the same protection.
/// </summary>
public sealed class TotpKeys(IDataProtectionProvider protection, TenantAccessor accessor)
{
    private const string Purpose = "AspService.Tenant.Totp.v1";

    public TotpKey New(string account) => Of(Totp.NewSecret(), account);

    /// <summary>A key as its owner's authenticator app reads it (the issuer names the tenant).</summary>
    public TotpKey Of(byte[] secret, string account)
    {
        var uri = Totp.EnrollmentUri("AspService " + accessor.Required.Code, account, secret);
        using var qr = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new TotpKey(secret, Base32.Encode(secret), uri, new SvgQRCode(qr).GetGraphic(4));
    }

    /// <summary>The key as an account's TOTP secret is stored (<c>TenantUser.TotpSecretProtected</c>).</summary>
    public string Protect(byte[] secret) => Protector().Protect(Convert.ToBase64String(secret));

    public byte[] Unprotect(string protectedSecret) => Convert.FromBase64String(Protector().Unprotect(protectedSecret));

    /// <summary>A protector under the tenant's TOTP purpose, narrowed further for other uses of the same secrets.</summary>
    public IDataProtector Protector(params string[] subPurposes) =>
        protection.CreateProtector(Purpose, [accessor.Required.TenantId.ToString(), .. subPurposes]);
}
