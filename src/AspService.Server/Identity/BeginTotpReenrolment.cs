using AspService.Server.Audit;

namespace AspService.Server.Identity;

/// <summary>
/// First step of re-enrolling one's own authenticator, HTTP-free: after the current password, a new key is made and
/// kept as the account's pending key (<see cref="PendingTotpKeys"/>, encrypted). The current authenticator keeps
/// working; only <see cref="ConfirmTotpReenrolment"/> with a code from the new one replaces it. Nothing is audited
/// here but a wrong password: until it is confirmed, nothing about the account's sign-in has changed.
/// </summary>
public sealed class BeginTotpReenrolment(Reauthentication reauthentication, TotpKeys keys, PendingTotpKeys pending,
    Data.TenantData.TenantDbContext db)
{
    public async Task<BeginTotpReenrolmentOutcome> RunAsync(BeginTotpReenrolmentCommand command, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (user, error) = await reauthentication.PasswordAsync(actor, command.CurrentPassword, ConfirmTotpReenrolment.AuditDetail, ct);
        if (user is null)
        {
            return new(null, error);
        }

        var key = keys.New(user.Email!);
        await pending.PutAsync(user, key.Secret, ct);
        await db.SaveChangesAsync(ct);
        return new(key, null);
    }
}
