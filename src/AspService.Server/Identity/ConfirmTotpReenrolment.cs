using AspService.Identity;
using AspService.Server.Audit;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Identity;

/// <summary>
/// Second step of re-enrolling one's own authenticator, HTTP-free: a valid code from the new key (the pending one)
/// makes it the account's secret. The old authenticator stops working at once, the security stamp changes (every other
/// browser session and the agent's refresh end; the caller renews its own session), and it is audited
/// (<see cref="AuditActions.MfaReenrolled"/>). A wrong code counts towards lockout like one at sign-in. Recovery codes
/// are left as they are (a new set is its own action). See decision 0098.
/// </summary>
public sealed class ConfirmTotpReenrolment(
    Reauthentication reauthentication, TotpKeys keys, PendingTotpKeys pending, UserManager<Data.Identity.TenantUser> users,
    AuditLog audit, TimeProvider time)
{
    /// <summary>What a failed password or code on the account page's MFA forms is audited as (<c>signin.failed</c>).</summary>
    public const string AuditDetail = "mfa_change";

    public async Task<ConfirmTotpReenrolmentOutcome> RunAsync(ConfirmTotpReenrolmentCommand command, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (user, error) = await reauthentication.AccountAsync(actor);
        if (user is null)
        {
            return new(error, null);
        }

        if (await pending.FindAsync(user, ct) is not { } secret)
        {
            return new(ConfirmTotpReenrolmentOutcome.Expired, null);
        }

        var key = keys.Of(secret, user.Email!);
        // A code of the new key has never been used: no earlier step to refuse as a replay.
        if (Totp.Verify(secret, command.Code, time.GetUtcNow(), null) is not { } step)
        {
            return new(await reauthentication.FailedAsync(user, actor, AuditDetail, ConfirmTotpReenrolmentOutcome.CodeWrong, ct), key);
        }

        if (!(await ReplaceAsync(user, secret, step, ct)).Succeeded)
        {
            // The row changed meanwhile (the same confirmation sent twice): the other request decided; start again if needed.
            return new(ConfirmTotpReenrolmentOutcome.Expired, null);
        }

        await audit.WriteAsync(AuditActions.MfaReenrolled, actor.Id, actor.Id, null, actor.Client, ct);
        return new(null, null);
    }

    private async Task<IdentityResult> ReplaceAsync(Data.Identity.TenantUser user, byte[] secret, long step, CancellationToken ct)
    {
        user.TotpSecretProtected = keys.Protect(secret);
        user.TotpLastStep = step;
        user.TwoFactorEnabled = true;
        await pending.RemoveAsync(user, ct);
        return await users.UpdateSecurityStampAsync(user); // saves the row, the new secret and the removed pending key together
    }
}
