using AspService.Data.Identity;
using AspService.Identity;
using AspService.Server.Audit;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Identity;

/// <summary>
/// An operator sets their own password, HTTP-free (decision 0066; the console's forced change, decision 0095):
/// current password, then a new one under the tenant rules (12 characters, not common, not the mail address).
/// Clears the temporary-password mark and changes the security stamp, which ends the operator's other sessions;
/// the caller re-issues its own. Operators live outside every tenant's audit chain: the service log records it.
/// </summary>
public sealed class ChangeOperatorPassword(
    UserManager<OperatorUser> users,
    TimeProvider time,
    AccountRateLimiter accountLimiter,
    ILogger<ChangeOperatorPassword> logger)
{
    public async Task<ChangeOperatorPasswordOutcome> RunAsync(ChangeOperatorPasswordCommand command, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        ct.ThrowIfCancellationRequested();
        var user = await users.FindByIdAsync(actor.Id);
        if (user is null)
        {
            return ChangeOperatorPasswordOutcome.Refused(ChangeOperatorPasswordOutcome.Unauthorized);
        }

        if (!accountLimiter.TryAcquire("ops-password:" + user.Id))
        {
            return ChangeOperatorPasswordOutcome.Refused(ChangeOperatorPasswordOutcome.RateLimited);
        }

        if (OperatorAuth.TemporaryPasswordExpired(user, time.GetUtcNow()))
        {
            return ChangeOperatorPasswordOutcome.Refused(ChangeOperatorPasswordOutcome.PasswordExpired);
        }

        var rules = PasswordRules.Check(command.NewPassword, user.Email);
        if (rules.Count > 0)
        {
            return ChangeOperatorPasswordOutcome.Invalid([.. rules.Select(r => new ChangeOperatorPasswordOutcome.FieldError("newPassword", r))]);
        }

        if (!await users.CheckPasswordAsync(user, command.CurrentPassword ?? ""))
        {
            await users.AccessFailedAsync(user);
            logger.LogWarning("Operator {OperatorId} password change refused: current password wrong", user.Id);
            return ChangeOperatorPasswordOutcome.Invalid(new ChangeOperatorPasswordOutcome.FieldError("currentPassword", ChangeOperatorPasswordOutcome.CurrentWrong));
        }

        var result = await users.ChangePasswordAsync(user, command.CurrentPassword!, command.NewPassword!);
        if (!result.Succeeded)
        {
            return ChangeOperatorPasswordOutcome.Invalid([.. result.Errors.Select(e => new ChangeOperatorPasswordOutcome.FieldError("newPassword", e.Code, e.Description))]);
        }

        user.PasswordChangeRequired = false;
        user.PasswordExpiresAt = null;
        await users.UpdateAsync(user);
        logger.LogInformation("Audit: operator {OperatorId} changed their password", user.Id);
        return ChangeOperatorPasswordOutcome.Done(user);
    }
}
