using AspService.Data.Identity;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace AspService.Server.Pages.Identity;

/// <summary>
/// Forgotten password. Without a token: the request form, which always gives the same answer whether or not the
/// address exists. With the mail's token (<c>{tenant}/password-reset?token=…</c>, built by <see cref="TenantLinks"/>):
/// a new password. The same <see cref="TenantSignIn"/> steps as the API; the token is never logged.
/// </summary>
[TenantScoped]
[EnableRateLimiting(RateLimitPolicies.Auth)]
public sealed class PasswordResetModel(TenantSignIn signIn, TenantLinks links) : PageModel
{
    public enum Steps { Request, Requested, NewPassword, DeadLink, Done }

    public Steps Step { get; private set; } = Steps.Request;

    public FormErrors Errors { get; } = new();

    public string? Email { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Token is not null)
        {
            Email = (await links.FindAsync(Token, LinkPurpose.PasswordReset, ct))?.User.Email;
            Step = Email is null ? Steps.DeadLink : Steps.NewPassword;
        }

        return Page();
    }

    /// <summary>The request: the same neutral answer for every address (a rate limit is the only other answer).</summary>
    public async Task<IActionResult> OnPostRequestAsync([FromForm(Name = "Email")] string? email, CancellationToken ct)
    {
        var result = await signIn.ForgotPasswordAsync(HttpContext, new TenantSignIn.ForgotRequest(email), ct);
        if (result is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult)
        {
            Email = email;
            Errors.Add("email", ResultReader.Message(result));
            return Page();
        }

        Step = Steps.Requested;
        return Page();
    }

    public async Task<IActionResult> OnPostResetAsync(CancellationToken ct)
    {
        var found = await links.FindAsync(Token, LinkPurpose.PasswordReset, ct);
        if (found is null)
        {
            Step = Steps.DeadLink;
            return Page();
        }

        Email = found.Value.User.Email;
        var result = await signIn.ResetPasswordAsync(HttpContext, new TenantSignIn.LinkPasswordRequest(Token, Password), ct);
        if (ResultReader.Value<TenantSignIn.LoginResponse>(result) is not null)
        {
            Step = Steps.Done;
            return Page();
        }

        Step = Steps.NewPassword;
        Errors.Add("password", ResultReader.Message(result, "password"));
        return Page();
    }
}
