using AspService.Server.Hosting;
using AspService.Server.Audit;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Identity;

/// <summary>Invite one user: the account is created and a 72-hour single-use link is mailed (use case shared with the API).</summary>
public sealed class AdminUserInviteModel(TenantUsersAdmin admin, IStringLocalizer<ConsoleText> text) : AdminPageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Department { get; set; }

    [BindProperty]
    public string? Role { get; set; } = "Staff";

    public FormErrors Errors { get; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var outcome = await admin.InviteAsync(new TenantUsersAdmin.InviteRequest(Email, DisplayName, Department, Role),
            new Actor(Me.Id, HttpActor.Client(HttpContext)), HttpContext.RequestAborted);
        if (outcome.Succeeded)
        {
            TempData["notice"] = text["users.done.invited", outcome.User!.DisplayName, outcome.User.Email].Value;
            return LocalRedirect(Request.PathBase + "/admin/users/" + outcome.User.Id.ToString("D"));
        }

        if (outcome.Error == UserAdminError.Invalid)
        {
            foreach (var (field, messages) in outcome.Fields!)
            {
                Errors.Add(field switch { "displayName" => "display-name", _ => field }, messages[0]);
            }
        }
        else
        {
            Errors.Add("email", text["users.error." + outcome.Error]);
        }

        return Page();
    }
}
