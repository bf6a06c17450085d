using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Operators;

/// <summary>
/// The operator's own password. Forced after a one-time CLI password (decision 0066): the base class sends every
/// other page here until it is replaced; afterwards the same page changes it at will.
/// </summary>
[EnableRateLimiting(RateLimitPolicies.Auth)]
public sealed class PasswordModel(ChangeOperatorPassword change, IStringLocalizer<ConsoleText> text) : OperatorPageModel
{
    protected override bool AllowsTemporaryPassword => true;

    public FormErrors Errors { get; } = new();

    public bool Forced => OperatorPasswordGateHandler.Pending(User);

    public bool Done { get; private set; }

    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    public void OnGet() => Done = Request.Query.ContainsKey("done");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await change.RunAsync(new ChangeOperatorPasswordCommand(CurrentPassword, NewPassword), Actor, ct);
        if (outcome.Succeeded)
        {
            // A new security stamp ended every session of this operator: this one continues with a fresh cookie.
            await HttpContext.SignInAsync(OperatorAuth.Scheme, OperatorCookieHandler.Principal(outcome.User!));
            return Redirect(OperatorConsoleRedirect.PasswordPath + "?done=1");
        }

        switch (outcome.Refusal)
        {
            case ChangeOperatorPasswordOutcome.PasswordExpired:
                Errors.Add("current", text["ops.password.expired"]);
                return Page();
            case ChangeOperatorPasswordOutcome.RateLimited:
                Errors.Add("current", text["ops.password.ratelimited"]);
                return Page();
            case ChangeOperatorPasswordOutcome.Unauthorized:
                return Redirect(OperatorConsoleRedirect.SignInPath);
        }

        foreach (var error in outcome.Errors)
        {
            var field = error.Field == "currentPassword" ? "current" : "new";
            var message = error.Code == ChangeOperatorPasswordOutcome.CurrentWrong
                ? text["account.password.current_wrong"].Value
                : error.Message ?? IdentityText.Get(error.Code);
            Errors.Add(field, message);
        }

        return Page();
    }
}
