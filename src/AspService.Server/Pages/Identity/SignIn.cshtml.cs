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
/// The same <see cref="TenantSignIn"/> steps as the API.
/// </summary>
[TenantScoped]
[EnableRateLimiting(RateLimitPolicies.Auth)]
public sealed class SignInModel(TenantSignIn signIn, IStringLocalizer<ConsoleText> text) : PageModel
{
    public enum Steps { Password, Code, EnrollStart, Enroll, RecoveryCodes }

    public Steps Step { get; private set; } = Steps.Password;

    public FormErrors Errors { get; } = new();

    /// <summary>First sign-in: the authenticator key and its QR code (QRCoder's SVG shown as a data: image; the CSP allows data: images).</summary>
    public string? Secret { get; private set; }

    public string? QrDataUri { get; private set; }

    /// <summary>Shown once, right after the authenticator is registered; only their hashes are kept.</summary>
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The code form belongs to the first registration (a wrong code keeps the user on that step).</summary>
    [BindProperty]
    public bool Enrolling { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Code { get; set; }

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

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        var result = await signIn.LoginAsync(HttpContext, new TenantSignIn.LoginRequest(Email, Password));
        switch (ResultReader.Value<TenantSignIn.LoginResponse>(result)?.Next)
        {
            case "totp":
                Step = Steps.Code;
                return Page();
            case "totp-enroll":
                // The pending-sign-in cookie reaches the server only with the next request: registration starts there.
                Step = Steps.EnrollStart;
                return Page();
            default:
                Errors.Add("email", ResultReader.Message(result));
                return Page();
        }
    }

    /// <summary>First sign-in: a new authenticator key (a POST: it replaces any key not yet confirmed).</summary>
    public async Task<IActionResult> OnPostEnrollAsync()
    {
        var result = await signIn.BeginEnrollmentAsync(HttpContext);
        if (ResultReader.Value<TenantSignIn.EnrollmentResponse>(result) is not { } enrollment)
        {
            Errors.Add("email", text["signin.expired"]);
            return Page();
        }

        Step = Steps.Enroll;
        Secret = enrollment.Secret;
        QrDataUri = TotpKey.DataUri(enrollment.QrSvg);
        return Page();
    }

    public Task<IActionResult> OnPostCodeAsync() =>
        SecondFactorAsync(signIn.VerifyCodeAsync(HttpContext, new TenantSignIn.CodeRequest(Normalize.Digits(Code))), "code");

    public Task<IActionResult> OnPostRecoveryAsync() =>
        SecondFactorAsync(signIn.RecoveryAsync(HttpContext, new TenantSignIn.CodeRequest(Normalize.Narrow(Recovery))), "recovery");

    private async Task<IActionResult> SecondFactorAsync(Task<IResult> attempt, string field)
    {
        var result = await attempt;
        if (ResultReader.Value<TenantSignIn.SignedInResponse>(result) is { } signedIn)
        {
            if (signedIn.RecoveryCodes is { Count: > 0 } codes)
            {
                // Signed in already; the codes are shown on this answer only (never stored in the clear, never logged).
                Step = Steps.RecoveryCodes;
                RecoveryCodes = codes;
                Response.Headers.CacheControl = "no-store";
                return Page();
            }

            return Back();
        }

        if (result is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult { StatusCode: StatusCodes.Status401Unauthorized })
        {
            // The pending sign-in (5 minutes) is gone: start again with the password.
            Errors.Add("email", text["signin.expired"]);
            return Page();
        }

        Step = Enrolling && field == "code" ? Steps.Enroll : Steps.Code;
        Errors.Add(field, ResultReader.Message(result, "code"));
        return Page();
    }

    /// <summary>Where "continue" leads after the recovery codes, and where a signed-in user is sent.</summary>
    public string Destination => Request.PathBase + (ConsoleRegistration.IsLocal(ReturnUrl) ? ReturnUrl : "/my");

    private LocalRedirectResult Back() =>
        LocalRedirect(Destination);
}
