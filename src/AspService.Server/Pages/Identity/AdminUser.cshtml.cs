using AspService.Server.Hosting;
using AspService.Server.Audit;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Identity;

/// <summary>
/// One user, for an administrator: name and department, role, disable/enable, a new invitation, MFA reset and
/// deletion. MFA reset and deletion ask for confirmation on a second step that says what follows; every action is
/// a POST (antiforgery) to the same use cases the API calls. Another tenant's user id is simply not found here.
/// </summary>
public sealed class AdminUserModel(TenantUsersAdmin admin, IStringLocalizer<ConsoleText> text) : AdminPageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Department { get; set; }

    [BindProperty]
    public string? NewRole { get; set; }

    public TenantUsersAdmin.UserDto Target { get; private set; } = null!;

    public DateTimeOffset? LastSignIn { get; private set; }

    /// <summary>The action waiting for confirmation ("ResetMfa" or "Delete"), if any.</summary>
    public string? Confirming { get; private set; }

    public FormErrors Errors { get; } = new();

    public bool IsSelf => Target.Id == Me.Id;

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostProfileAsync()
    {
        var outcome = await admin.UpdateProfileAsync(Id, new TenantUsersAdmin.ProfileRequest(DisplayName, Department), ActorNow(), HttpContext.RequestAborted);
        return await AnswerAsync(outcome, "users.done.profile");
    }

    public async Task<IActionResult> OnPostRoleAsync() =>
        await AnswerAsync(await admin.ChangeRoleAsync(Id, NewRole, ActorNow(), HttpContext.RequestAborted), "users.done.role");

    public async Task<IActionResult> OnPostDisableAsync() =>
        await AnswerAsync(await admin.DisableAsync(Id, ActorNow(), HttpContext.RequestAborted), "users.done.disabled");

    public async Task<IActionResult> OnPostEnableAsync() =>
        await AnswerAsync(await admin.EnableAsync(Id, ActorNow(), HttpContext.RequestAborted), "users.done.enabled");

    public async Task<IActionResult> OnPostResendAsync() =>
        await AnswerAsync(await admin.ResendInvitationAsync(Id, ActorNow(), HttpContext.RequestAborted), "users.done.resent");

    public async Task<IActionResult> OnPostResetMfaAsync(bool confirmed) =>
        confirmed
            ? await AnswerAsync(await admin.ResetMfaAsync(Id, ActorNow(), HttpContext.RequestAborted), "users.done.mfa")
            : await ConfirmAsync("ResetMfa");

    public async Task<IActionResult> OnPostDeleteAsync(bool confirmed)
    {
        if (!confirmed)
        {
            return await ConfirmAsync("Delete");
        }

        var outcome = await admin.DeleteAsync(Id, ActorNow(), HttpContext.RequestAborted);
        if (!outcome.Succeeded)
        {
            return await AnswerAsync(outcome, "");
        }

        TempData["notice"] = text["users.done.deleted", outcome.User!.DisplayName].Value;
        return LocalRedirect(Request.PathBase + "/admin/users");
    }

    private Actor ActorNow() => new(Me.Id, HttpActor.Client(HttpContext));

    private async Task<IActionResult> ConfirmAsync(string action)
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        Confirming = action;
        return Page();
    }

    /// <summary>Success: back to the user with a notice (post/redirect/get). Otherwise the page with the reason.</summary>
    private async Task<IActionResult> AnswerAsync(UserAdminOutcome outcome, string doneKey)
    {
        if (outcome.Error == UserAdminError.NotFound)
        {
            return NotFound();
        }

        if (outcome.Succeeded)
        {
            TempData["notice"] = text[doneKey, outcome.User!.DisplayName].Value;
            return LocalRedirect(Request.PathBase + "/admin/users/" + Id.ToString("D"));
        }

        if (outcome.Error == UserAdminError.Invalid)
        {
            foreach (var (field, messages) in outcome.Fields!)
            {
                foreach (var message in messages)
                {
                    Errors.Add(field switch { "displayName" => "display-name", "role" => "new-role", _ => field }, message);
                }
            }
        }
        else
        {
            Errors.Add("actions", text["users.error." + outcome.Error]);
        }

        if (!await LoadAsync(keepInput: true))
        {
            return NotFound();
        }

        return Page();
    }

    private async Task<bool> LoadAsync(bool keepInput = false)
    {
        var ct = HttpContext.RequestAborted;
        if (await admin.GetAsync(Id, ct) is not { } user)
        {
            return false;
        }

        Target = user;
        LastSignIn = (await admin.LastSignInsAsync([user.Id], ct)).TryGetValue(user.Id, out var at) ? at : null;
        if (!keepInput)
        {
            DisplayName = user.DisplayName;
            Department = user.Department;
            NewRole = user.Role;
        }

        return true;
    }
}
