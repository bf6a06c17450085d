using AspService.Data.Identity;

namespace AspService.Server.Consoles;

/// <summary>
/// A page for the tenant's administrators. A signed-in staff member gets the 403 page (not a redirect: signing in
/// again would not help); anyone signed out is sent to sign-in like on every tenant page.
/// </summary>
public abstract class AdminPageModel : TenantPageModel
{
    protected override bool Allows(System.Security.Claims.ClaimsPrincipal user) => user.IsInRole(TenantRoles.Admin);
}
