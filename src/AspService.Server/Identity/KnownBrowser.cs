using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace AspService.Server.Identity;

/// <summary>
/// A browser in which an account has fully signed in (password + TOTP) keeps a signed, long-lived cookie naming that
/// account and tenant (OWASP's "device cookie"; set and read by <see cref="TenantSignInEndpoints"/>). When a city hall's shared address is refused for password spraying
/// (<see cref="SignInFailureLimiter"/>), an account tried from a browser that knows it still gets through, so staff
/// at their own PCs sign in while the sprayer, who holds no such cookie for the accounts it tries, stays stopped.
/// Per-account limits and lockout apply to every attempt, known browser or not.
/// </summary>
public sealed class KnownBrowser(IDataProtectionProvider protection, TimeProvider time)
{
    public const string CookieName = "asp.kb";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private readonly IDataProtector _protector = protection.CreateProtector("AspService.Identity.KnownBrowser.v1");

    /// <summary>After a full sign-in: the cookie value saying this browser knows this account in this tenant.</summary>
    public string Issue(Guid tenantId, Guid userId) =>
        _protector.Protect(string.Join('|', tenantId.ToString("N"), userId.ToString("N"),
            time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));

    /// <summary>The account a cookie value names in this tenant, if it is genuine, this tenant's and not expired.</summary>
    public Guid? AccountIn(string? value, Guid tenantId)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null; // forged, damaged, or from a retired key
        }

        return Parse(payload, tenantId, time.GetUtcNow());
    }

    /// <summary>The account in a cookie's payload when it is for <paramref name="tenantId"/> and still within its lifetime.</summary>
    public static Guid? Parse(string payload, Guid tenantId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var parts = payload.Split('|');
        return parts.Length == 3
            && Guid.TryParseExact(parts[0], "N", out var tenant) && tenant == tenantId
            && Guid.TryParseExact(parts[1], "N", out var user)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            && now - DateTimeOffset.FromUnixTimeSeconds(issued) < Lifetime
            ? user : null;
    }
}
