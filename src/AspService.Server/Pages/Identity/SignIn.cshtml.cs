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

/// <summary>Tenant sign-in in the browser: password, then the TOTP code (or a recovery code); the same service as the API.</summary>
[TenantScoped]
[EnableRateLimiting(RateLimitPolicies.Auth)]
public sealed class SignInModel(TenantSignIn signIn, IStringLocalizer<ConsoleText> text) : PageModel
{
    public enum Steps { Password, Code, EnrollmentNeeded }

    public Steps Step { get; private set; } = Steps.Password;

    public FormErrors Errors { get; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

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

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        var result = await signIn.LoginAsync(HttpContext, new TenantSignIn.LoginRequest(Email, Password));
        switch (ResultReader.Value<TenantSignIn.LoginResponse>(result)?.Next)
        {
            case "totp":
                Step = Steps.Code;
                return Page();
            case "totp-enroll":
                Step = Steps.EnrollmentNeeded;
                return Page();
            default:
                Errors.Add("email", ResultReader.Message(result));
                return Page();
        }
    }

    public Task<IActionResult> OnPostCodeAsync() =>
        SecondFactorAsync(signIn.VerifyCodeAsync(HttpContext, new TenantSignIn.CodeRequest(Normalize.Digits(Code))), "code");

    public Task<IActionResult> OnPostRecoveryAsync() =>
        SecondFactorAsync(signIn.RecoveryAsync(HttpContext, new TenantSignIn.CodeRequest(Normalize.Narrow(Recovery))), "recovery");

    private async Task<IActionResult> SecondFactorAsync(Task<IResult> attempt, string field)
    {
        var result = await attempt;
        if (ResultReader.Value<TenantSignIn.SignedInResponse>(result) is not null)
        {
            return Back();
        }

        if (result is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult { StatusCode: StatusCodes.Status401Unauthorized })
        {
            // The pending sign-in (5 minutes) is gone: start again with the password.
            Errors.Add("email", text["signin.expired"]);
            return Page();
        }

        Step = Steps.Code;
        Errors.Add(field, ResultReader.Message(result, "code"));
        return Page();
    }

    private LocalRedirectResult Back() =>
        LocalRedirect(Request.PathBase + (ConsoleRegistration.IsLocal(ReturnUrl) ? ReturnUrl : "/my"));
}
