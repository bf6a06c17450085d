using AspService.Data.Identity;
using AspService.Data.TenantData;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Identity;

/// <summary>
/// Changes an account's row through Identity. Parallel requests on one account (a sprayer's failure counted while
/// the staff member enters the code, a double-clicked button) race on the row's concurrency stamp: the loser reads the
/// row again and applies its change on top, so no failure goes uncounted and no honest attempt fails for it.
/// </summary>
public static class AccountRow
{
    /// <summary>
    /// Applies <paramref name="change"/> until it saves; <paramref name="change"/> answers null when the fresh row makes
    /// the change wrong (a code used meanwhile): then nothing is saved and the answer is false.
    /// </summary>
    public static async Task<bool> ChangeAsync(TenantDbContext db, TenantUser user, Func<Task<IdentityResult>?> change)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            if (change() is not { } pending)
            {
                return false;
            }

            var result = await pending;
            if (result.Succeeded)
            {
                return true;
            }

            var raced = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure));
            if (!raced || attempt == 10)
            {
                throw new InvalidOperationException("Saving the account failed: " + string.Join(", ", result.Errors.Select(e => e.Code)));
            }

            await db.Entry(user).ReloadAsync();
        }
    }
}
