using AspService.Audit;
using AspService.Data.Audit;
using AspService.Data.TenantData;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Audit;

/// <summary>Names of audited actions (stable: verification and reports depend on them).</summary>
public static class AuditActions
{
    public const string SignInSucceeded = "signin.succeeded";
    public const string SignInFailed = "signin.failed";
    public const string LockedOut = "signin.locked_out";
    public const string SignedOut = "signin.signed_out";
    public const string RecoveryCodeUsed = "mfa.recovery_code_used";
    public const string MfaEnrolled = "mfa.enrolled";
    public const string MfaReset = "mfa.reset";
    public const string MfaReenrolled = "mfa.reenrolled";
    public const string RecoveryCodesRenewed = "mfa.recovery_codes_renewed";
    public const string UserInvited = "user.invited";
    public const string InvitationAccepted = "user.invitation_accepted";
    public const string UserChanged = "user.changed";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string UserDeleted = "user.deleted";
    public const string RoleChanged = "user.role_changed";
    public const string PasswordResetRequested = "password.reset_requested";
    public const string PasswordReset = "password.reset";
    public const string PasswordChanged = "password.changed";
    public const string Imported = "users.imported";
    public const string TokensRevoked = "tokens.revoked";
    public const string DeviceApproved = "tokens.device_approved";
    public const string DeviceDenied = "tokens.device_denied";
}

/// <summary>Result of checking a tenant's chain: how many rows were read, and the first break if any.</summary>
public sealed record AuditVerification(long Rows, AuditBreak? Break)
{
    public bool Intact => Break is null;
}

/// <summary>
/// Appends to the current tenant's hash-chained audit log. Rows are only ever inserted; the sequence is
/// the primary key, so two concurrent writers cannot both take the same place in the chain — the loser
/// re-reads the head and tries again.
/// </summary>
public sealed class AuditLog(TenantDbContext db, TimeProvider time, ILogger<AuditLog> logger)
{
    public const string System = "system";
    private const int Attempts = 12;

    public async Task WriteAsync(string action, string actor, string? subject = null, string? detail = null, string? client = null,
        CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var head = await db.AuditLog.AsNoTracking().OrderByDescending(a => a.Sequence)
                .Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(ct);
            var sequence = (head?.Sequence ?? 0) + 1;
            var previous = head?.Hash ?? AuditChain.Genesis;
            var at = AuditChain.Normalize(time.GetUtcNow());
            var entry = new AuditEntry
            {
                Sequence = sequence,
                At = at,
                Action = action,
                Actor = actor,
                Subject = subject,
                Detail = detail,
                Client = client,
                PreviousHash = previous,
                Hash = AuditChain.ComputeHash(sequence, at, action, actor, subject, detail, client, previous),
            };
            db.AuditLog.Add(entry);
            try
            {
                await db.SaveChangesAsync(ct);
                db.Entry(entry).State = EntityState.Detached;
                return;
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                db.Entry(entry).State = EntityState.Detached;
                logger.LogDebug("Audit append raced on sequence {Sequence}; retrying", sequence);
                // A burst of writers (a morning's sign-ins) re-reading the head at once would collide again: spread them.
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), ct); // real time: a back-off, not a business clock (tests fake it)
            }
        }
    }

    /// <summary>Streams the chain in order and stops at the first row that does not fit.</summary>
    public static async Task<AuditVerification> VerifyAsync(TenantDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var expected = 1L;
        var previous = AuditChain.Genesis;
        var rows = db.AuditLog.AsNoTracking().OrderBy(a => a.Sequence)
            .Select(a => new AuditRecord(a.Sequence, a.At, a.Action, a.Actor, a.Subject, a.Detail, a.Client, a.PreviousHash, a.Hash))
            .AsAsyncEnumerable();
        await foreach (var record in rows.WithCancellation(ct))
        {
            if (AuditChain.Check(record, expected, previous) is { } broken)
            {
                return new AuditVerification(expected - 1, broken);
            }

            expected++;
            previous = record.Hash;
        }

        return new AuditVerification(expected - 1, null);
    }
}
