using AspService.Server.Hosting;
using AspService.Server.Audit;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Identity;

/// <summary>
/// The staff member's own account: change of password (<see cref="ChangeOwnPassword"/>), re-enrolment of the
/// authenticator (<see cref="BeginTotpReenrolment"/>, then <see cref="ConfirmTotpReenrolment"/> with a code from the new
/// one) and a new set of recovery codes (<see cref="RenewRecoveryCodes"/>). Each asks for the current password first;
/// attempts are limited like sign-in. New keys and codes are shown on the POST's answer only, never cached.
/// </summary>
[EnableRateLimiting(RateLimitPolicies.Auth)]
public sealed class AccountModel(
    ChangeOwnPassword change, BeginTotpReenrolment beginTotp, ConfirmTotpReenrolment confirmTotp, RenewRecoveryCodes renewCodes,
    UserManager<Data.Identity.TenantUser> users, IStringLocalizer<ConsoleText> text)
    : TenantPageModel
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? TotpPassword { get; set; }

    [BindProperty]
    public string? TotpCode { get; set; }

    [BindProperty]
    public string? RecoveryPassword { get; set; }

    public FormErrors Errors { get; } = new();

    /// <summary>Re-enrolment in progress: the new key for manual entry and its QR code, until a code confirms it.</summary>
    public TotpKey? NewKey { get; private set; }

    public string? QrDataUri => NewKey is null ? null : TotpKey.DataUri(NewKey.QrSvg);

    /// <summary>Shown once, on the answer that made them; only their hashes are kept.</summary>
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        var outcome = await change.RunAsync(new ChangeOwnPasswordCommand(CurrentPassword, NewPassword), Actor(), HttpContext.RequestAborted);
        if (!outcome.Succeeded)
        {
            foreach (var (field, code) in outcome.Errors)
            {
                Errors.Add(field == "current" ? "current-password" : "new-password",
                    field == "current" ? text["account.password." + code] : IdentityText.Get(code));
            }

            return Page();
        }

        return await RenewSessionAsync("account.password.done");
    }

    /// <summary>Re-enrolment, step 1: the current password, then a new key is shown (a POST: it replaces any key not yet confirmed).</summary>
    public async Task<IActionResult> OnPostTotpAsync()
    {
        var outcome = await beginTotp.RunAsync(new BeginTotpReenrolmentCommand(TotpPassword), Actor(), HttpContext.RequestAborted);
        if (!outcome.Succeeded)
        {
            Errors.Add("totp-password", text["account.password." + outcome.Error]);
            return Page();
        }

        NewKey = outcome.Key;
        return Secret();
    }

    /// <summary>Re-enrolment, step 2: a code from the new authenticator replaces the old one.</summary>
    public async Task<IActionResult> OnPostTotpConfirmAsync()
    {
        var outcome = await confirmTotp.RunAsync(new ConfirmTotpReenrolmentCommand(Normalize.Digits(TotpCode)), Actor(), HttpContext.RequestAborted);
        if (outcome.Succeeded)
        {
            return await RenewSessionAsync("account.totp.done");
        }

        NewKey = outcome.Pending;
        var message = outcome.Error switch
        {
            ConfirmTotpReenrolmentOutcome.CodeWrong => text["account.totp.code_wrong"],
            ConfirmTotpReenrolmentOutcome.Expired => text["account.totp.expired"],
            _ => text["account.password." + outcome.Error],
        };
        Errors.Add(NewKey is null ? "totp-password" : "totp-code", message);
        return NewKey is null ? Page() : Secret();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var outcome = await renewCodes.RunAsync(new RenewRecoveryCodesCommand(RecoveryPassword), Actor(), HttpContext.RequestAborted);
        if (!outcome.Succeeded)
        {
            Errors.Add("recovery-password", text["account.password." + outcome.Error]);
            return Page();
        }

        NewRecoveryCodes = outcome.Codes;
        return Secret();
    }

    private Actor Actor() => new(Me.Id, HttpActor.Client(HttpContext));

    /// <summary>A page showing a key or codes: kept by no cache, not even the browser's history.</summary>
    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Secret()
    {
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    /// <summary>The stamp changed: this browser gets a fresh session; every other session of the account has ended.</summary>
    private async Task<IActionResult> RenewSessionAsync(string notice)
    {
        var user = await users.FindByIdAsync(Me.Id.ToString());
        var role = (await users.GetRolesAsync(user!)).FirstOrDefault() ?? Data.Identity.TenantRoles.Staff;
        await TenantSignInEndpoints.RenewSessionAsync(HttpContext, user!, role, Tenant.TenantId);
        TempData["notice"] = text[notice].Value;
        return LocalRedirect(Request.PathBase + "/my/account");
    }
}
