using AspService.Data.Identity;
using AspService.Data.TenantData;
using AspService.Server.Audit;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Identity;

/// <summary>
/// A signed-in user proves it is them again before a change to their own sign-in (password, authenticator, recovery
/// codes). Attempts count like sign-in attempts: the same per-account limiter, and each failure towards Identity's
/// lockout, audited as a failed sign-in with what was being changed.
/// </summary>
public sealed class Reauthentication(UserManager<TenantUser> users, TenantDbContext db, AccountRateLimiter limiter, AuditLog audit)
{
    public const string CurrentWrong = "current_wrong";
    public const string Locked = "locked";
    public const string RateLimited = "rate_limited";

    /// <summary>The actor's account if it may change its sign-in now, else the reason (<see cref="Locked"/>, <see cref="RateLimited"/>).</summary>
    public async Task<(TenantUser? User, string? Error)> AccountAsync(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await users.FindByIdAsync(actor.Id);
        if (user is null || user.DisabledAt is not null || user.DeletedAt is not null || await users.IsLockedOutAsync(user))
        {
            return (null, Locked);
        }

        return limiter.TryAcquire(TenantSignInFlow.AccountKey(db.Tenant.TenantId, user.Email ?? actor.Id))
            ? (user, null)
            : (null, RateLimited);
    }

    /// <summary>The account, once the current password is right; a wrong one is a failed attempt (<paramref name="what"/> in the audit log).</summary>
    public async Task<(TenantUser? User, string? Error)> PasswordAsync(Actor actor, string? password, string what, CancellationToken ct)
    {
        var (user, error) = await AccountAsync(actor);
        if (user is null)
        {
            return (null, error);
        }

        if (!await users.CheckPasswordAsync(user, password ?? ""))
        {
            return (null, await FailedAsync(user, actor, what, CurrentWrong, ct));
        }

        return (user, null);
    }

    /// <summary>Counts a wrong password or code: audited, towards lockout. Answers <see cref="Locked"/> once locked, else <paramref name="error"/>.</summary>
    public async Task<string> FailedAsync(TenantUser user, Actor actor, string what, string error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(actor);
        await AccountRow.ChangeAsync(db, user, () => users.AccessFailedAsync(user));
        await audit.WriteAsync(AuditActions.SignInFailed, actor.Id, actor.Id, what, actor.Client, ct);
        if (!await users.IsLockedOutAsync(user))
        {
            return error;
        }

        await audit.WriteAsync(AuditActions.LockedOut, AuditLog.System, actor.Id, null, actor.Client, ct);
        return Locked;
    }
}
