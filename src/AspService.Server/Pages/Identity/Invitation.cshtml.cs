using AspService.Data.Identity;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace AspService.Server.Pages.Identity;

/// <summary>
/// The invitation mail's link (<c>{tenant}/invitation?token=…</c>, built by <see cref="TenantLinks"/>): the invited person
/// sets a password, then goes straight on to register the authenticator on the sign-in page. A used or expired link
/// says so and what to do. The same <see cref="TenantSignIn"/> step as the API; the token is never logged.
/// </summary>
[TenantScoped]
[EnableRateLimiting(RateLimitPolicies.Auth)]
public sealed class InvitationModel(TenantSignIn signIn, TenantLinks links) : PageModel
{
    public FormErrors Errors { get; } = new();

    /// <summary>The invited address (shown, and given to password managers as the user name); null when the link is dead.</summary>
    public string? Email { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Email = (await links.FindAsync(Token, LinkPurpose.Invitation, ct))?.User.Email;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var found = await links.FindAsync(Token, LinkPurpose.Invitation, ct);
        if (found is null)
        {
            return Page(); // Email stays null: the page says the link is used or expired
        }

        Email = found.Value.User.Email;
        var result = await signIn.AcceptInvitationAsync(HttpContext, new TenantSignIn.LinkPasswordRequest(Token, Password), ct);
        if (ResultReader.Value<TenantSignIn.LoginResponse>(result) is null)
        {
            if (result is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult { StatusCode: StatusCodes.Status400BadRequest } problem
                && problem.ProblemDetails.Extensions.TryGetValue("errors", out var errors) && errors is IDictionary<string, string[]> byField
                && byField.ContainsKey("token"))
            {
                Email = null; // used meanwhile
                return Page();
            }

            Errors.Add("password", ResultReader.Message(result, "password"));
            return Page();
        }

        // The password is set: sign in with it at once, so registration of the authenticator follows without retyping.
        var login = await signIn.LoginAsync(HttpContext, new TenantSignIn.LoginRequest(Email, Password));
        return ResultReader.Value<TenantSignIn.LoginResponse>(login)?.Next == "totp-enroll"
            ? Redirect(Request.PathBase + "/sign-in?handler=Enroll")
            : Redirect(Request.PathBase + "/sign-in");
    }
}
