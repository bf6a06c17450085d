using System.Security.Claims;
using AspService.Server.Audit;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Authentication;
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
        if (User.FindFirstValue(ClaimTypes.NameIdentifier) is { } who)
        {
            await audit.WriteAsync(AuditActions.SignedOut, who, who, null, TenantSignIn.Client(HttpContext), HttpContext.RequestAborted);
        }

        await HttpContext.SignOutAsync(TenantAuth.Scheme);
        await HttpContext.SignOutAsync(TenantAuth.SecondFactorScheme);
        return LocalRedirect(Request.PathBase + "/sign-in");
    }
}
