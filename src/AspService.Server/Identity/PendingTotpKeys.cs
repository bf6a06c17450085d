using System.Globalization;
using System.Security.Cryptography;
using AspService.Data.Identity;
using AspService.Data.TenantData;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Identity;

/// <summary>
/// A new authenticator key that its owner has been shown but not yet confirmed with a code (re-enrolment on the
/// account page). Kept in Identity's user-token table, encrypted like the account's own secret (<see cref="TotpKeys"/>,
/// narrowed to this account), with an expiry and the account's security stamp inside: a password change, an MFA
/// reset or a disable voids it. The account's current secret is not touched until the code is confirmed.
/// </summary>
public sealed class PendingTotpKeys(TenantDbContext db, TotpKeys keys, TimeProvider time)
{
    public const string Provider = "AspService";
    public const string Name = "totp-pending";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>Keeps <paramref name="secret"/> as the account's pending key (replacing an earlier one); unsaved.</summary>
    public async Task PutAsync(TenantUser user, byte[] secret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var value = keys.Protector(Name, user.Id.ToString()).Protect(expires + "|" + user.SecurityStamp + "|" + Convert.ToBase64String(secret));
        if (await RowAsync(user, ct) is { } row)
        {
            row.Value = value;
        }
        else
        {
            db.UserTokens.Add(new IdentityUserToken<Guid> { UserId = user.Id, LoginProvider = Provider, Name = Name, Value = value });
        }
    }

    /// <summary>The account's pending key, or null when there is none, it expired or the account changed since.</summary>
    public async Task<byte[]?> FindAsync(TenantUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await RowAsync(user, ct) is not { Value: { } value })
        {
            return null;
        }

        string[] parts;
        try
        {
            parts = keys.Protector(Name, user.Id.ToString()).Unprotect(value).Split('|');
        }
        catch (CryptographicException)
        {
            return null; // written under a key ring that is gone: as good as expired
        }

        var fresh = parts.Length == 3
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && time.GetUtcNow().ToUnixTimeSeconds() < expires
            && string.Equals(parts[1], user.SecurityStamp, StringComparison.Ordinal);
        return fresh ? Convert.FromBase64String(parts[2]) : null;
    }

    /// <summary>Forgets the account's pending key; unsaved.</summary>
    public async Task RemoveAsync(TenantUser user, CancellationToken ct)
    {
        if (await RowAsync(user, ct) is { } row)
        {
            db.UserTokens.Remove(row);
        }
    }

    private async Task<IdentityUserToken<Guid>?> RowAsync(TenantUser user, CancellationToken ct) =>
        await db.UserTokens.FindAsync([user.Id, Provider, Name], ct);
}
