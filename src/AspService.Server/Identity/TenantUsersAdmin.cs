using System.Security.Claims;
using System.Text;
using AspService.Data.Identity;
using AspService.Data.TenantData;
using AspService.Identity;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using AspService.Common;

namespace AspService.Server.Identity;

/// <summary>
/// A tenant admin's self-service over the tenant's users. Every change is audited; every change that
/// must end sessions (disable, delete, role change, MFA reset) rotates the security stamp.
/// </summary>
public sealed class TenantUsersAdmin(
    UserManager<TenantUser> users,
    TenantDbContext db,
    TenantLinks links,
    AuditLog audit,
    TimeProvider time,
    UserTokenRevocation tokens,
    Terminals.TerminalIssuer terminals,
    Relay.RelayCommands relay)
{
    public sealed record UserDto(
        Guid Id, string Email, string DisplayName, string? Department, string Role, string Status, bool MfaEnrolled,
        DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);

    public sealed record UserPage(int Total, IReadOnlyList<UserDto> Items);

    public sealed record InviteRequest(string? Email, string? DisplayName, string? Department, string? Role);

    public sealed record RoleRequest(string? Role);

    public sealed record ProfileRequest(string? DisplayName, string? Department);

    public async Task<UserPage> ListAsync(string? q, string? role, int skip, int take, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim().ToUpperInvariant();
            var raw = q.Trim();
            query = query.Where(u => u.NormalizedEmail!.Contains(term) || u.DisplayName.Contains(raw) || (u.Department != null && u.Department.Contains(raw)));
        }

        if (TenantRoles.IsKnown(role))
        {
            var roleId = role == TenantRoles.Admin ? TenantRoles.AdminId : TenantRoles.StaffId;
            query = query.Where(u => db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == roleId));
        }

        var total = await query.CountAsync(ct);
        var page = await query.OrderBy(u => u.NormalizedEmail).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
        return new UserPage(total, await ToDtosAsync(page, ct));
    }

    public async Task<UserDto?> GetAsync(Guid id, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? null : (await ToDtosAsync([user], ct))[0];
    }

    /// <summary>Creates the account and mails the invitation (72-hour single-use link).</summary>
    public async Task<UserAdminOutcome> InviteAsync(InviteRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        var email = errors.Email("email", request.Email);
        var name = errors.Required("displayName", request.DisplayName, StaffCsv.NameMax);
        var department = errors.Optional("department", request.Department, StaffCsv.DepartmentMax);
        var role = request.Role ?? TenantRoles.Staff;
        if (!TenantRoles.IsKnown(role))
        {
            errors.Add("role", IdentityText.Get("role_invalid"));
        }

        if (errors.Any)
        {
            return UserAdminOutcome.Invalid(errors.ToDictionary());
        }

        if (await users.FindByEmailAsync(email!) is not null)
        {
            return UserAdminOutcome.Failed(UserAdminError.Exists);
        }

        var user = await CreateAsync(email!, name!, department, role, ct);
        await links.SendInvitationAsync(user, ct);
        await audit.WriteAsync(AuditActions.UserInvited, actor.Id, user.Id.ToString(), "role=" + role, actor.Client, ct);
        return UserAdminOutcome.Done((await ToDtosAsync([user], ct))[0]);
    }

    /// <summary>
    /// Sends a fresh invitation to a user who has not accepted yet (the first link expired or was lost);
    /// earlier links stop working.
    /// </summary>
    public async Task<UserAdminOutcome> ResendInvitationAsync(Guid id, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null || user.DisabledAt is not null)
        {
            return UserAdminOutcome.Failed(UserAdminError.NotFound);
        }

        if (user.PasswordHash is not null)
        {
            return UserAdminOutcome.Failed(UserAdminError.NotPending);
        }

        await links.RevokeAllAsync(user.Id, ct);
        await links.SendInvitationAsync(user, ct);
        await audit.WriteAsync(AuditActions.UserInvited, actor.Id, user.Id.ToString(), "resend", actor.Client, ct);
        return UserAdminOutcome.Done((await ToDtosAsync([user], ct))[0]);
    }

    /// <summary>Changes the name and department (what the personnel system says after a 人事異動); audited.</summary>
    public async Task<UserAdminOutcome> UpdateProfileAsync(Guid id, ProfileRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        var name = errors.Required("displayName", request.DisplayName, StaffCsv.NameMax);
        var department = errors.Optional("department", request.Department, StaffCsv.DepartmentMax);
        if (errors.Any)
        {
            return UserAdminOutcome.Invalid(errors.ToDictionary());
        }

        var user = await FindAsync(id);
        if (user is null)
        {
            return UserAdminOutcome.Failed(UserAdminError.NotFound);
        }

        if (user.DisplayName != name || user.Department != department)
        {
            user.DisplayName = name!;
            user.Department = department;
            Check(await users.UpdateAsync(user));
            await audit.WriteAsync(AuditActions.UserChanged, actor.Id, user.Id.ToString(), "profile", actor.Client, ct);
        }

        return UserAdminOutcome.Done((await ToDtosAsync([user], ct))[0]);
    }

    /// <summary>
    /// When each user last signed in (the newest <c>signin.succeeded</c> in the audit log, whose subject is the user);
    /// absent for users who never did.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, DateTimeOffset>> LastSignInsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var subjects = ids.Select(i => i.ToString()).ToList();
        // Newest by sequence (the chain's order), then the time of those rows: no aggregate over dates (SQLite).
        var newest = await db.AuditLog.AsNoTracking()
            .Where(a => a.Action == AuditActions.SignInSucceeded && a.Subject != null && subjects.Contains(a.Subject))
            .GroupBy(a => a.Subject).Select(g => g.Max(a => a.Sequence)).ToListAsync(ct);
        var rows = await db.AuditLog.AsNoTracking().Where(a => newest.Contains(a.Sequence))
            .Select(a => new { a.Subject, a.At }).ToListAsync(ct);
        return rows.Where(r => Guid.TryParse(r.Subject, out _)).ToDictionary(r => Guid.Parse(r.Subject!), r => r.At);
    }

    /// <summary>Creates an account without a password; the invitation link sets it.</summary>
    public async Task<TenantUser> CreateAsync(string email, string name, string? department, string role, CancellationToken ct)
    {
        var user = new TenantUser
        {
            Id = Guid.CreateVersion7(),
            UserName = email,
            Email = email,
            DisplayName = name,
            Department = department,
            CreatedAt = time.GetUtcNow(),
            LockoutEnabled = true,
        };
        // The account and its role are one fact: a crash between the two saves must not leave an account without a role
        // (a caller that already holds a transaction, such as the CSV import, makes both part of its own).
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        Check(await users.CreateAsync(user));
        Check(await users.AddToRoleAsync(user, role));
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
        }

        return user;
    }

    /// <summary>Disables the account: sessions, links, agent tokens and home-device certificates end.</summary>
    public Task<UserAdminOutcome> DisableAsync(Guid id, Actor actor, CancellationToken ct) =>
        ChangeAsync(actor, id, AuditActions.UserDisabled, null, async user =>
        {
            if (user.DisabledAt is not null)
            {
                return false;
            }

            user.DisabledAt = time.GetUtcNow();
            await links.RevokeAllAsync(user.Id, ct);
            return true;
        }, ct);

    public Task<UserAdminOutcome> EnableAsync(Guid id, Actor actor, CancellationToken ct) =>
        ChangeAsync(actor, id, AuditActions.UserEnabled, null, user =>
        {
            var changed = user.DisabledAt is not null;
            user.DisabledAt = null;
            return Task.FromResult(changed);
        }, ct);

    public Task<UserAdminOutcome> DeleteAsync(Guid id, Actor actor, CancellationToken ct) =>
        ChangeAsync(actor, id, AuditActions.UserDeleted, null, async user =>
        {
            // The row stays (audit history points at it); the name is freed so the address can be invited again.
            user.DeletedAt = time.GetUtcNow();
            user.UserName = "deleted-" + user.Id.ToString("N");
            user.NormalizedUserName = user.UserName.ToUpperInvariant();
            await links.RevokeAllAsync(user.Id, ct);
            return true;
        }, ct);

    public Task<UserAdminOutcome> ResetMfaAsync(Guid id, Actor actor, CancellationToken ct) =>
        ChangeAsync(actor, id, AuditActions.MfaReset, null, async user =>
        {
            user.TotpSecretProtected = null;
            user.TotpLastStep = null;
            user.TwoFactorEnabled = false;
            await db.RecoveryCodes.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(ct);
            return true;
        }, ct);

    public async Task<UserAdminOutcome> ChangeRoleAsync(Guid id, string? role, Actor actor, CancellationToken ct)
    {
        if (!TenantRoles.IsKnown(role))
        {
            return UserAdminOutcome.Invalid(new() { ["role"] = [IdentityText.Get("role_invalid")] });
        }

        return await ChangeAsync(actor, id, AuditActions.RoleChanged, "role=" + role, async user =>
        {
            var current = await users.GetRolesAsync(user);
            if (current.Count == 1 && current[0] == role)
            {
                return false;
            }

            Check(await users.RemoveFromRolesAsync(user, current));
            Check(await users.AddToRoleAsync(user, role!));
            return true;
        }, ct);
    }

    public async Task<byte[]> ExportCsvAsync(CancellationToken ct)
    {
        var all = await db.Users.AsNoTracking().OrderBy(u => u.NormalizedEmail).ToListAsync(ct);
        var dtos = await ToDtosAsync(all, ct);
        var sb = new StringBuilder("メールアドレス,氏名,所属,権限,状態,MFA登録\r\n");
        foreach (var u in dtos)
        {
            sb.Append(Csv.Field(u.Email)).Append(',').Append(Csv.Field(u.DisplayName)).Append(',')
                .Append(Csv.Field(u.Department)).Append(',').Append(u.Role).Append(',').Append(u.Status).Append(',')
                .Append(u.MfaEnrolled ? "yes" : "no").Append("\r\n");
        }

        // UTF-8 with BOM so spreadsheet software opens Japanese correctly.
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    public async Task<IReadOnlyList<UserDto>> ToDtosAsync(IReadOnlyList<TenantUser> list, CancellationToken ct)
    {
        var ids = list.Select(u => u.Id).ToList();
        var admins = await db.UserRoles.AsNoTracking().Where(r => ids.Contains(r.UserId) && r.RoleId == TenantRoles.AdminId)
            .Select(r => r.UserId).ToListAsync(ct);
        return [.. list.Select(u => new UserDto(
            u.Id, u.Email!, u.DisplayName, u.Department,
            admins.Contains(u.Id) ? TenantRoles.Admin : TenantRoles.Staff,
            u.DisabledAt is not null ? "disabled" : u.PasswordHash is null ? "invited" : "active",
            u.TwoFactorEnabled, u.CreatedAt, u.DisabledAt))];
    }

    /// <summary>Transitional (decision 0101): features outside Identity read the acting user's id here.</summary>
    private async Task<UserAdminOutcome> ChangeAsync(Actor actor, Guid id, string action, string? detail,
        Func<TenantUser, Task<bool>> change, CancellationToken ct)
    {
        var user = await FindAsync(id);
        if (user is null)
        {
            return UserAdminOutcome.Failed(UserAdminError.NotFound);
        }

        // An admin cannot lock themselves out (and so the tenant always keeps the admin who acts).
        if (actor.UserId == user.Id)
        {
            return UserAdminOutcome.Failed(UserAdminError.SelfChange);
        }

        if (await change(user))
        {
            // UpdateSecurityStampAsync saves the user and ends their sessions.
            Check(await users.UpdateSecurityStampAsync(user));
            await audit.WriteAsync(action, actor.Id, user.Id.ToString(), detail, actor.Client, ct);
            if (action is AuditActions.UserDisabled or AuditActions.UserDeleted or AuditActions.MfaReset or AuditActions.RoleChanged)
            {
                // Access and refresh tokens of the agent die with the browser sessions.
                await tokens.RevokeAllAsync(user.Id, actor.Id, action, actor.Client, ct);
            }

            if (action is AuditActions.UserDisabled or AuditActions.UserDeleted)
            {
                // Their home devices lose their certificates: refused at the next handshake.
                await terminals.RevokeOwnedAsync(user.Id, action == AuditActions.UserDisabled ? "owner_disabled" : "owner_deleted", actor.Id, actor.Client, ct);
                await relay.EnqueueAsync(db.Tenant.TenantId, Data.Relay.RelayCommandKind.CloseUser, user.Id, "user_disabled", ct);
            }

            if (action is AuditActions.UserDeleted)
            {
                await db.TerminalAssignments.Where(a => a.UserId == user.Id).ExecuteDeleteAsync(ct);
            }
        }

        return UserAdminOutcome.Done((await ToDtosAsync([user], ct))[0]);
    }

    /// <summary>A user of this tenant that is not deleted (a deleted row stays for the audit history only).</summary>
    private async Task<TenantUser?> FindAsync(Guid id)
    {
        var user = await users.FindByIdAsync(id.ToString());
        return user is null || user.DeletedAt is not null ? null : user;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }
}
