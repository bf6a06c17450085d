using AspService.Server.Hosting;
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
/// a new password. The same <see cref="TenantSignInFlow"/> steps as the API (<see cref="LinkPageModel"/>).
/// </summary>
[TenantScoped]
[EnableRateLimiting(RateLimitPolicies.Auth)]
public sealed class PasswordResetModel(TenantSignInFlow flow, TenantLinks links) : LinkPageModel(flow, links, LinkPurpose.PasswordReset)
{
    public enum Steps { Request, Requested, NewPassword, DeadLink, Done }

    public Steps Step { get; private set; } = Steps.Request;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Token is not null)
        {
            Step = await FindAsync(ct) ? Steps.NewPassword : Steps.DeadLink;
        }

        return Page();
    }

    /// <summary>The request: the same neutral answer for every address (a rate limit is the only other answer).</summary>
    public async Task<IActionResult> OnPostRequestAsync([FromForm(Name = "Email")] string? email, CancellationToken ct)
    {
        var outcome = await Flow.ForgotPasswordAsync(new TenantSignInFlow.ForgotRequest(email), HttpActor.Client(HttpContext), ct);
        if (outcome.Failure is { } failure)
        {
            Email = email;
            Errors.Add("email", failure?.MessageFor() ?? "");
            return Page();
        }

        Step = Steps.Requested;
        return Page();
    }

    public async Task<IActionResult> OnPostResetAsync(CancellationToken ct)
    {
        if (!await FindAsync(ct))
        {
            Step = Steps.DeadLink;
            return Page();
        }

        var outcome = await SetPasswordAsync(ct);
        if (outcome.Failure is { } failure)
        {
            Step = Steps.NewPassword;
            PasswordRefused(failure);
            return Page();
        }

        Step = Steps.Done;
        return Page();
    }
}
