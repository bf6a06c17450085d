using AspService.Server.Consoles;
using AspService.Server.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AspService.Server.Pages.Operators;

/// <summary>Ends the operator session (POST with antiforgery; a GET changes nothing and goes to the sign-in page).</summary>
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect(OperatorConsoleRedirect.SignInPath);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(OperatorAuth.Scheme);
        await HttpContext.SignOutAsync(OperatorAuth.SecondFactorScheme);
        return Redirect(OperatorConsoleRedirect.SignInPath);
    }
}
