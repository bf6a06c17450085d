using AspService.Data.TenantData;
using AspService.Server.Audit;

namespace AspService.Server.Identity;

/// <summary>
/// A new set of one's own recovery codes, HTTP-free: after the current password, every earlier code stops working and
/// a new set is made in the same transaction (only hashes stored), audited as
/// <see cref="AuditActions.RecoveryCodesRenewed"/>. Sessions are left alone: codes are used only at sign-in.
/// </summary>
public sealed class RenewRecoveryCodes(Reauthentication reauthentication, TenantDbContext db, AuditLog audit)
{
    public async Task<RenewRecoveryCodesOutcome> RunAsync(RenewRecoveryCodesCommand command, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (user, error) = await reauthentication.PasswordAsync(actor, command.CurrentPassword, ConfirmTotpReenrolment.AuditDetail, ct);
        if (user is null)
        {
            return new([], error);
        }

        IReadOnlyList<string> codes;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            codes = await RecoveryCodeIssuer.ReplaceAsync(db, user.Id, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        await audit.WriteAsync(AuditActions.RecoveryCodesRenewed, actor.Id, actor.Id, null, actor.Client, ct);
        return new(codes, null);
    }
}
