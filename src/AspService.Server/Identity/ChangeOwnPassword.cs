using AspService.Data.Identity;
using AspService.Identity;
using AspService.Server.Audit;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Identity;

/// <summary>
/// Change of one's own password, HTTP-free: the current password is checked (<see cref="Reauthentication"/>: a wrong one counts towards lockout),
/// the new one follows the same rules as invitations and resets, and the security stamp changes, which ends the
/// user's other browser sessions and the agent's refresh (the caller renews its own session).
/// </summary>
public sealed class ChangeOwnPassword(UserManager<TenantUser> users, Reauthentication reauthentication, AuditLog audit)
{
    public async Task<ChangeOwnPasswordOutcome> RunAsync(ChangeOwnPasswordCommand command, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var (user, error) = await reauthentication.PasswordAsync(actor, command.CurrentPassword, "password_change", ct);
        if (user is null)
        {
            return new([("current", error!)]);
        }

        var problems = PasswordRules.Check(command.NewPassword, user.Email);
        if (problems.Count > 0)
        {
            return new([.. problems.Select(p => ("new", p))]);
        }

        user.PasswordHash = users.PasswordHasher.HashPassword(user, command.NewPassword!);
        await users.UpdateSecurityStampAsync(user);
        await audit.WriteAsync(AuditActions.PasswordChanged, actor.Id, actor.Id, null, actor.Client, ct);
        return new([]);
    }
}
