using AspService.Common;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Identity;

/// <summary>
/// What the tenant and the operator sign-in pages share: the steps (password, code, the authenticator's first
/// registration), the form fields, and how a step's outcome becomes the next step or a form error.
/// </summary>
public abstract class SignInPageModel(IStringLocalizer<ConsoleText> text) : PageModel
{
    public enum Steps { Password, Code, EnrollStart, Enroll, RecoveryCodes }

    public Steps Step { get; protected set; } = Steps.Password;

    public FormErrors Errors { get; } = new();

    /// <summary>First sign-in: the authenticator key and its QR code (an SVG shown as a data: image; the CSP allows data: images).</summary>
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

    /// <summary>After the password: the code, the start of the authenticator's registration, or the error.</summary>
    protected PageResult PasswordStep(Outcome<string> next)
    {
        switch (next.Value)
        {
            case "totp":
                Step = Steps.Code;
                break;
            case "totp-enroll":
                // The pending-sign-in cookie reaches the server only with the next request: registration starts there.
                Step = Steps.EnrollStart;
                break;
            default:
                Errors.Add("email", next.Failure?.MessageFor() ?? "");
                break;
        }

        return Page();
    }

    /// <summary>A new authenticator key to show.</summary>
    protected PageResult ShowKey(string secret, string qrSvg)
    {
        Step = Steps.Enroll;
        Secret = secret;
        QrDataUri = TotpKey.DataUri(qrSvg);
        return Page();
    }

    /// <summary>A refused second factor: the pending sign-in (5 minutes) is gone (start again with the password), or the field's error.</summary>
    protected PageResult SecondFactorFailed(Failure failure, string field, Steps retry)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.Status == StatusCodes.Status401Unauthorized)
        {
            return Expired();
        }

        Step = retry;
        Errors.Add(field, failure?.MessageFor("code") ?? "");
        return Page();
    }

    protected PageResult Expired()
    {
        Errors.Add("email", text["signin.expired"]);
        return Page();
    }
}
