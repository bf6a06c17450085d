using AspService.Common;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Identity;

/// <summary>
/// Tenant sign-in in the browser: password, then the TOTP code (or a recovery code); on the first sign-in the
/// authenticator is registered here (QR code and key, then the code) and the recovery codes are shown once.
/// The same <see cref="TenantSignInFlow"/> steps as the API (through <see cref="TenantSignInEndpoints"/>, which sets the cookies).
/// </summary>
[TenantScoped]
[EnableRateLimiting(RateLimitPolicies.Auth)]
public sealed class SignInModel(TenantSignInFlow flow, IStringLocalizer<ConsoleText> text) : SignInPageModel(text)
{
    /// <summary>Shown once, right after the authenticator is registered; only their hashes are kept.</summary>
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    /// <summary>The code form belongs to the first registration (a wrong code keeps the user on that step).</summary>
    [BindProperty]
    public bool Enrolling { get; set; }

    [BindProperty]
    public string? Recovery { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        (await HttpContext.AuthenticateAsync(TenantAuth.Scheme)).Succeeded ? Back() : Page();

    /// <summary>Straight after the invitation's password: the registration of the authenticator starts here (a GET only shows).</summary>
    public IActionResult OnGetEnroll()
    {
        Step = Steps.EnrollStart;
        return Page();
    }

    public async Task<IActionResult> OnPostPasswordAsync() =>
        PasswordStep((await TenantSignInEndpoints.PasswordAsync(HttpContext, flow, new TenantSignInFlow.LoginRequest(Email, Password)))
            .Select(r => r.Next));

    /// <summary>First sign-in: a new authenticator key (a POST: it replaces any key not yet confirmed).</summary>
    public async Task<IActionResult> OnPostEnrollAsync() =>
        (await TenantSignInEndpoints.BeginEnrolmentAsync(HttpContext, flow)).Value is { } enrollment
            ? ShowKey(enrollment.Secret, enrollment.QrSvg)
            : Expired();

    public async Task<IActionResult> OnPostCodeAsync() =>
        SecondFactor(await TenantSignInEndpoints.VerifyCodeAsync(HttpContext, flow, new TenantSignInFlow.CodeRequest(Normalize.Digits(Code))), "code");

    public async Task<IActionResult> OnPostRecoveryAsync() =>
        SecondFactor(await TenantSignInEndpoints.RecoveryAsync(HttpContext, flow, new TenantSignInFlow.CodeRequest(Normalize.Narrow(Recovery))), "recovery");

    /// <summary>Where "continue" leads after the recovery codes, and where a signed-in user is sent.</summary>
    public string Destination => Request.PathBase + (ConsoleRegistration.IsLocal(ReturnUrl) ? ReturnUrl : "/my");

    private IActionResult SecondFactor(Outcome<TenantSignInFlow.SignedInResponse> outcome, string field)
    {
        if (outcome.Failure is { } failure)
        {
            return SecondFactorFailed(failure, field, Enrolling && field == "code" ? Steps.Enroll : Steps.Code);
        }

        if (outcome.Value!.RecoveryCodes is { Count: > 0 } codes)
        {
            // Signed in already; the codes are shown on this answer only (never stored in the clear, never logged).
            Step = Steps.RecoveryCodes;
            RecoveryCodes = codes;
            Response.Headers.CacheControl = "no-store";
            return Page();
        }

        return Back();
    }

    private LocalRedirectResult Back() =>
        LocalRedirect(Destination);
}
