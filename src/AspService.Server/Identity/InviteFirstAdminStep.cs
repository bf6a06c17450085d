using AspService.Data.Identity;
using AspService.Data.Tenancy;
using AspService.Server.Audit;
using AspService.Server.Tenancy;
using AspService.Server.Tenancy.Provisioning;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Identity;

/// <summary>
/// Provisioning: invites the admin address given at signup/onboarding as the tenant's first TenantAdmin.
/// Idempotent: an account that exists with a password or an open invitation is left alone; one that was
/// created but whose mail may not have gone out (a crash in between) gets a fresh invitation, and its admin role if a
/// crash came between the account and the role.
/// </summary>
internal sealed class InviteFirstAdminStep(IServiceScopeFactory scopes) : ITenantStep
{
    public string Operation => TenantOperations.Provision;

    public string Name => "invite-first-admin";

    public int Order => 400;

    public async Task RunAsync(Tenant tenant, TenantBinding binding, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(tenant.AdminEmail))
        {
            return;
        }

        // A scope of its own bound to this tenant: the same services a request inside the tenant gets.
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(binding);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TenantUser>>();
        var links = scope.ServiceProvider.GetRequiredService<TenantLinks>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        var admin = scope.ServiceProvider.GetRequiredService<TenantUsersAdmin>();

        var user = await users.FindByEmailAsync(tenant.AdminEmail);
        if (user is not null && (user.PasswordHash is not null || await links.HasOpenInvitationAsync(user.Id, ct)))
        {
            return;
        }

        // An account from before this fix could have been created without its role by a crash between two saves.
        if (user is not null && !await users.IsInRoleAsync(user, TenantRoles.Admin))
        {
            await users.AddToRoleAsync(user, TenantRoles.Admin);
        }

        // Named after the person who applied (not 「管理者」); a tenant onboarded without an application keeps the role name.
        var applicant = await scope.ServiceProvider.GetRequiredService<Data.Catalog.CatalogDbContext>().SignupApplications
            .Where(a => a.TenantId == tenant.Id).Select(a => a.ContactName).FirstOrDefaultAsync(ct);
        user ??= await admin.CreateAsync(tenant.AdminEmail, string.IsNullOrWhiteSpace(applicant) ? "管理者" : applicant, tenant.Department, TenantRoles.Admin, ct);
        await links.SendInvitationAsync(user, ct);
        await audit.WriteAsync(AuditActions.UserInvited, AuditLog.System, user.Id.ToString(), "role=" + TenantRoles.Admin + ";provisioning", null, ct);
    }
}
