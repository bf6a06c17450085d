using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Pages.Identity;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Operators;

/// <summary>
/// Operator sign-in in the browser: password, then the TOTP code (registering the authenticator on first sign-in);
/// the same <see cref="OperatorSignInFlow"/> steps as the API (through <see cref="OperatorAuthEndpoints"/>, which sets the cookies). After a one-time CLI password the
/// operator lands on the password page, which every other page enforces.
/// </summary>
[EnableRateLimiting(RateLimitPolicies.Auth)]
public sealed class SignInModel(OperatorSignInFlow flow, IStringLocalizer<ConsoleText> text) : SignInPageModel(text)
{
    public async Task<IActionResult> OnGetAsync() =>
        (await HttpContext.AuthenticateAsync(OperatorAuth.Scheme)).Succeeded ? Back() : Page();

    public async Task<IActionResult> OnPostPasswordAsync() =>
        PasswordStep((await OperatorAuthEndpoints.PasswordAsync(HttpContext, flow, new OperatorSignInFlow.LoginRequest(Email, Password)))
            .Select(r => r.Next));

    public async Task<IActionResult> OnPostCodeAsync()
    {
        var outcome = await OperatorAuthEndpoints.VerifyCodeAsync(HttpContext, flow, new OperatorSignInFlow.CodeRequest(Normalize.Digits(Code)));
        if (outcome.Value is { } me)
        {
            return me.PasswordChangeRequired ? Redirect(OperatorConsoleRedirect.PasswordPath) : Back();
        }

        return SecondFactorFailed(outcome.Failure!, "code", Steps.Code);
    }

    /// <summary>First sign-in: a new authenticator key (a POST: it replaces any key not yet confirmed).</summary>
    public async Task<IActionResult> OnPostEnrollAsync()
    {
        var outcome = await OperatorAuthEndpoints.BeginEnrolmentAsync(HttpContext, flow);
        if (outcome.Value is not { } enrollment)
        {
            Errors.Add("email", outcome.Failure?.MessageFor() ?? "");
            return Page();
        }

        return ShowKey(enrollment.Secret, enrollment.QrSvg);
    }

    private RedirectResult Back() =>
        Redirect(ConsoleRegistration.IsLocal(ReturnUrl) && ReturnUrl!.StartsWith("/ops", StringComparison.Ordinal) ? ReturnUrl : OperatorConsoleRedirect.HomePath);
}
