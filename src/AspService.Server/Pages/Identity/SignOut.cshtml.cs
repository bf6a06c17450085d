using AspService.Server.Audit;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AspService.Server.Pages.Identity;

/// <summary>POST only (antiforgery): ends the tenant session, audited like the API's logout.</summary>
[TenantScoped]
public sealed class SignOutModel(AuditLog audit) : PageModel
{
    public IActionResult OnGet() => NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        await TenantSignInEndpoints.SignOutAsync(HttpContext, audit, HttpContext.RequestAborted);
        return LocalRedirect(Request.PathBase + "/sign-in");
    }
}
