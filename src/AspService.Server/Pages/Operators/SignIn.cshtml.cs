using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Operators;

/// <summary>
/// Operator sign-in in the browser: password, then the TOTP code (registering the authenticator on first sign-in);
/// the same <see cref="OperatorAuth"/> steps as the API (they set the cookies). After a one-time CLI password the
/// operator lands on the password page, which every other page enforces.
/// </summary>
[EnableRateLimiting(RateLimitPolicies.Auth)]
public sealed class SignInModel(OperatorAuth auth, IStringLocalizer<ConsoleText> text) : PageModel
{
    public enum Steps { Password, Code, EnrollStart, Enroll }

    public Steps Step { get; private set; } = Steps.Password;

    public FormErrors Errors { get; } = new();

    /// <summary>First sign-in: the authenticator key and its QR code (an SVG shown as an image).</summary>
    public string? Secret { get; private set; }

    public string? QrDataUri { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        (await HttpContext.AuthenticateAsync(OperatorAuth.Scheme)).Succeeded ? Back() : Page();

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        var result = (await auth.LoginAsync(HttpContext, new OperatorAuth.LoginRequest(Email, Password))).Result;
        switch (ResultReader.Value<OperatorAuth.LoginResponse>(result)?.Next)
        {
            case "totp":
                Step = Steps.Code;
                return Page();
            case "totp-enroll":
                // The pending-sign-in cookie reaches the server only with the next request: enrolment starts there.
                Step = Steps.EnrollStart;
                return Page();
            default:
                Errors.Add("email", ResultReader.Message(result));
                return Page();
        }
    }

    public async Task<IActionResult> OnPostCodeAsync()
    {
        var result = (await auth.VerifyCodeAsync(HttpContext, new OperatorAuth.CodeRequest(Normalize.Digits(Code)))).Result;
        if (ResultReader.Value<OperatorAuth.MeResponse>(result) is { } me)
        {
            return me.PasswordChangeRequired ? Redirect(OperatorConsoleRedirect.PasswordPath) : Back();
        }

        if (result is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult { StatusCode: StatusCodes.Status401Unauthorized })
        {
            // The pending sign-in (5 minutes) is gone: start again with the password.
            Errors.Add("email", text["signin.expired"]);
            return Page();
        }

        Step = Steps.Code;
        Errors.Add("code", ResultReader.Message(result, "code"));
        return Page();
    }

    /// <summary>First sign-in: a new authenticator key (a POST: it replaces any key not yet confirmed).</summary>
    public async Task<IActionResult> OnPostEnrollAsync()
    {
        var result = (await auth.BeginEnrollmentAsync(HttpContext)).Result;
        if (ResultReader.Value<OperatorAuth.EnrollmentResponse>(result) is not { } enrollment)
        {
            Errors.Add("email", ResultReader.Message(result));
            return Page();
        }

        Step = Steps.Enroll;
        Secret = enrollment.Secret;
        QrDataUri = "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(enrollment.QrSvg));
        return Page();
    }

    private RedirectResult Back() =>
        Redirect(ConsoleRegistration.IsLocal(ReturnUrl) && ReturnUrl!.StartsWith("/ops", StringComparison.Ordinal) ? ReturnUrl : OperatorConsoleRedirect.HomePath);
}
