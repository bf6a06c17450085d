using AspService.Data.Identity;
using AspService.Server.Audit;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Identity;

namespace AspService.Server.Tokens;

/// <summary>
/// The device flow's decisions, HTTP-free: whether a user may hold agent tokens, whose a grant is (re-checked on
/// every device-code and refresh-token redemption), what a token says about them, and the audit of approvals.
/// OpenIddict's own plumbing (its principals and sign-in) stays in <see cref="DeviceFlowHandler"/>.
/// </summary>
public sealed class DeviceGrants(UserManager<TenantUser> users, TenantAccessor tenant, AuditLog audit)
{
    /// <summary>What a token names: the user, their role and tenant, and the stamp kept in the server-side grant only.</summary>
    public sealed record TokenIdentity(Guid Subject, string? Email, string Role, Guid TenantId, string? Stamp);

    /// <summary>Not disabled, deleted or locked out, and enrolled in MFA.</summary>
    public async Task<bool> UsableAsync(TenantUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.DisabledAt is null && user.DeletedAt is null && user.TwoFactorEnabled && !await users.IsLockedOutAsync(user);
    }

    /// <summary>
    /// The user behind a grant's claims, or null when it must be refused: unknown, another tenant's, or a stamp that
    /// changed (disable, delete, role change, MFA and password reset), even before the revocation has been written.
    /// </summary>
    public async Task<TenantUser?> GrantUserAsync(string? subject, string? tenantId, string? stamp)
    {
        var user = subject is null ? null : await users.FindByIdAsync(subject);
        return user is not null && tenantId == tenant.Required.TenantId.ToString() && stamp == user.SecurityStamp && await UsableAsync(user)
            ? user
            : null;
    }

    public async Task<TokenIdentity> IdentityAsync(TenantUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? TenantRoles.Staff;
        return new TokenIdentity(user.Id, user.Email, role, tenant.Required.TenantId, user.SecurityStamp);
    }

    public Task ApprovedAsync(TenantUser user, string clientId, string? client, CancellationToken ct) =>
        DecidedAsync(AuditActions.DeviceApproved, user, clientId, client, ct);

    public Task DeniedAsync(TenantUser user, string clientId, string? client, CancellationToken ct) =>
        DecidedAsync(AuditActions.DeviceDenied, user, clientId, client, ct);

    private Task DecidedAsync(string action, TenantUser user, string clientId, string? client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return audit.WriteAsync(action, user.Id.ToString(), user.Id.ToString(), "client=" + clientId, client, ct);
    }
}
