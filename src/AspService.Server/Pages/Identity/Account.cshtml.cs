using AspService.Server.Audit;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Identity;

/// <summary>The staff member's own account: change of password (the use case <see cref="ChangeOwnPassword"/>).</summary>
public sealed class AccountModel(ChangeOwnPassword change, UserManager<Data.Identity.TenantUser> users, IStringLocalizer<ConsoleText> text)
    : TenantPageModel
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    public FormErrors Errors { get; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        var outcome = await change.RunAsync(new ChangeOwnPasswordCommand(CurrentPassword, NewPassword),
            new Actor(Me.Id, TenantSignIn.Client(HttpContext)), HttpContext.RequestAborted);
        if (!outcome.Succeeded)
        {
            foreach (var (field, code) in outcome.Errors)
            {
                Errors.Add(field == "current" ? "current-password" : "new-password",
                    field == "current" ? text["account.password." + code] : IdentityText.Get(code));
            }

            return Page();
        }

        // The stamp changed: this browser gets a fresh session; every other session of the account has ended.
        var user = await users.FindByIdAsync(Me.Id.ToString());
        var role = (await users.GetRolesAsync(user!)).FirstOrDefault() ?? Data.Identity.TenantRoles.Staff;
        await HttpContext.SignInAsync(TenantAuth.Scheme, TenantAuth.Principal(user!, role, Tenant.TenantId));
        TempData["notice"] = text["account.password.done"].Value;
        return LocalRedirect(Request.PathBase + "/my/account");
    }
}
