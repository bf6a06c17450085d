using System.Security.Cryptography;
using AspService.Common;
using AspService.Data.Identity;
using AspService.Data.TenantData;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Identity;

/// <summary>
/// An account's set of single-use recovery codes: only their SHA-256 is stored, the codes themselves are shown once
/// (at first enrolment, and when the owner asks for a new set on the account page).
/// </summary>
public static class RecoveryCodeIssuer
{
    public const int Count = 10;
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    /// <summary>
    /// Deletes the account's codes at once and adds a new set to <paramref name="db"/>, unsaved: the caller saves it
    /// with its own change (the same context). Returns the codes to show, as <c>xxxxx-xxxxx</c>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ReplaceAsync(TenantDbContext db, Guid userId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.RecoveryCodes.Where(c => c.UserId == userId).ExecuteDeleteAsync(ct);
        var codes = new List<string>(Count);
        for (var i = 0; i < Count; i++)
        {
            var raw = RandomNumberGenerator.GetString(Alphabet, 10);
            codes.Add(raw[..5] + "-" + raw[5..]);
            db.RecoveryCodes.Add(new RecoveryCode { Id = Guid.CreateVersion7(), UserId = userId, CodeHash = Hash(raw)! });
        }

        return codes;
    }

    /// <summary>The stored form of a code as typed (case, hyphens and spaces ignored); null when it cannot be one.</summary>
    public static string? Hash(string? code)
    {
        var normalized = new string((code ?? "").Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return normalized.Length == 10 ? SecretHash.Of(normalized) : null;
    }
}
