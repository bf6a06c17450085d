using AspService.Data.Identity;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace AspService.Server.Pages.Identity;

/// <summary>
/// The invitation mail's link (<c>{tenant}/invitation?token=…</c>, built by <see cref="TenantLinks"/>): the invited person
/// sets a password, then goes straight on to register the authenticator on the sign-in page. A used or expired link
/// says so and what to do. The same <see cref="TenantSignInFlow"/> step as the API (<see cref="LinkPageModel"/>).
/// </summary>
[TenantScoped]
[EnableRateLimiting(RateLimitPolicies.Auth)]
public sealed class InvitationModel(TenantSignInFlow flow, TenantLinks links) : LinkPageModel(flow, links, LinkPurpose.Invitation)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await FindAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await FindAsync(ct))
        {
            return Page(); // Email stays null: the page says the link is used or expired
        }

        var outcome = await SetPasswordAsync(ct);
        if (outcome.Failure is { } failure)
        {
            if (LinkRefused(failure))
            {
                Email = null; // used meanwhile
                return Page();
            }

            PasswordRefused(failure);
            return Page();
        }

        // The password is set: sign in with it at once, so registration of the authenticator follows without retyping.
        var login = await TenantSignInEndpoints.PasswordAsync(HttpContext, Flow, new TenantSignInFlow.LoginRequest(Email, Password));
        return login.Value?.Next == "totp-enroll"
            ? Redirect(Request.PathBase + "/sign-in?handler=Enroll")
            : Redirect(Request.PathBase + "/sign-in");
    }
}
