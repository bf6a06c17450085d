using AspService.Server.Hosting;
using AspService.Server.Audit;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using AspService.Server.Terminals;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Terminals;

/// <summary>
/// One terminal, for an administrator: its facts and certificates; approve, enable or disable, revoke, delete; for an
/// office terminal its name and location and the staff assigned to it; an enrollment token for this very terminal
/// (shown once, in the answer to the POST). Disabling, revoking, deleting and removing an assignment ask for
/// confirmation on a second step that says what follows. Every action is a POST (antiforgery) to the use cases the
/// API calls. Another tenant's terminal id is simply not found.
/// </summary>
public sealed class AdminTerminalModel(TerminalRegistry registry, EnrollmentTokens tokens, TenantUsersAdmin users,
    TimeProvider time, IStringLocalizer<ConsoleText> text) : AdminPageModel
{
    /// <summary>At most this many people in the staff picker; a search narrows a larger tenant.</summary>
    public const int PickerSize = 200;

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Location { get; set; }

    [BindProperty]
    public Guid? UserId { get; set; }

    [BindProperty]
    public string? TtlMinutes { get; set; }

    /// <summary>The search that narrows the staff picker (GET, so it is a link that can be kept).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public TerminalDto Target { get; private set; } = null!;

    public string? OwnerName { get; private set; }

    /// <summary>Staff who may still be assigned: enabled, not assigned yet, matching <see cref="Q"/>.</summary>
    public IReadOnlyList<TenantUsersAdmin.UserDto> Candidates { get; private set; } = [];

    /// <summary>How many users the search found before the picker's limit.</summary>
    public int CandidatesTotal { get; private set; }

    /// <summary>The action waiting for confirmation ("Disable", "Delete", "Revoke" or "Unassign"), if any.</summary>
    public string? Confirming { get; private set; }

    /// <summary>The assignment whose removal waits for confirmation.</summary>
    public AssigneeDto? Unassigning { get; private set; }

    /// <summary>The token just issued for this terminal: shown on this answer only.</summary>
    public CreatedTokenDto? Issued { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public FormErrors Errors { get; } = new();

    /// <summary>Who a confirmation is about: the person for an assignment, otherwise the terminal.</summary>
    public string ConfirmSubject => Unassigning is { } a ? Who(a) : Target.Name;

    public static string Who(AssigneeDto a) => a.DisplayName ?? a.Email ?? a.UserId.ToString("D");

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostChangeAsync() =>
        await AnswerAsync(await registry.ChangeAsync(Id, new TerminalRegistry.ChangeRequest(Name ?? "", Location ?? ""), ActorNow(), HttpContext.RequestAborted),
            "terminals.admin.done.changed");

    public async Task<IActionResult> OnPostApproveAsync() =>
        await AnswerAsync(await registry.ApproveAsync(Id, ActorNow(), HttpContext.RequestAborted), "terminals.admin.done.approved");

    public async Task<IActionResult> OnPostEnableAsync() =>
        await AnswerAsync(await registry.EnableAsync(Id, ActorNow(), HttpContext.RequestAborted), "terminals.admin.done.enabled");

    public async Task<IActionResult> OnPostDisableAsync(bool confirmed) =>
        confirmed
            ? await AnswerAsync(await registry.DisableAsync(Id, ActorNow(), HttpContext.RequestAborted), "terminals.admin.done.disabled")
            : await ConfirmAsync("Disable");

    public async Task<IActionResult> OnPostRevokeAsync(bool confirmed)
    {
        if (!confirmed)
        {
            return await ConfirmAsync("Revoke");
        }

        if (await registry.RevokeAsync(Id, ActorNow(), HttpContext.RequestAborted) is not { } revoked)
        {
            return NotFound();
        }

        TempData["notice"] = text["terminals.admin.revoked", revoked.Name].Value;
        return LocalRedirect(Here);
    }

    public async Task<IActionResult> OnPostDeleteAsync(bool confirmed)
    {
        if (!confirmed)
        {
            return await ConfirmAsync("Delete");
        }

        var outcome = await registry.DeleteAsync(Id, ActorNow(), HttpContext.RequestAborted);
        if (!outcome.Succeeded)
        {
            return await AnswerAsync(outcome, "");
        }

        TempData["notice"] = text["terminals.admin.done.deleted", outcome.Terminal!.Name].Value;
        return LocalRedirect(Request.PathBase + "/admin/terminals");
    }

    public async Task<IActionResult> OnPostAssignAsync()
    {
        if (UserId is null)
        {
            if (!await LoadAsync())
            {
                return NotFound();
            }

            Errors.Add("userId", text["terminals.admin.assign.required"]);
            return Page();
        }

        var outcome = await registry.AssignAsync(Id, UserId, ActorNow(), HttpContext.RequestAborted);
        var person = outcome.Terminal?.Assignees?.FirstOrDefault(a => a.UserId == UserId);
        return await AnswerAsync(outcome, "terminals.admin.done.assigned", person is null ? null : Who(person));
    }

    public async Task<IActionResult> OnPostUnassignAsync(Guid user, bool confirmed)
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var assignee = Target.Assignees?.FirstOrDefault(a => a.UserId == user);
        if (assignee is null)
        {
            // Nothing to remove (already removed, or not this terminal's): the page as it is.
            return LocalRedirect(Here);
        }

        if (!confirmed)
        {
            Confirming = "Unassign";
            Unassigning = assignee;
            return Page();
        }

        return await AnswerAsync(await registry.UnassignAsync(Id, user, ActorNow(), HttpContext.RequestAborted), "terminals.admin.done.unassigned", Who(assignee));
    }

    public async Task<IActionResult> OnPostIssueAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var ttl = TokenLifetime.Parse(TtlMinutes, Errors, text["terminals.admin.error.number"]);

        if (!Errors.Any)
        {
            var request = new EnrollmentTokens.CreateRequest(Target.Kind, ttl, null, Target.Id, Target.OwnerUserId);
            var outcome = await tokens.IssueAsync(request, ActorNow(), HttpContext.RequestAborted);
            Issued = outcome.Token;
            foreach (var (field, messages) in outcome.Fields ?? new Dictionary<string, string[]>())
            {
                Errors.Add(field == "ttlMinutes" ? field : "reissue", messages[0]);
            }
        }

        // The secret must not be kept by a cache or the back button.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    private string Here => Request.PathBase + "/admin/terminals/" + Id.ToString("D");

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

    /// <summary>Success: back to the terminal with a notice (post/redirect/get). Otherwise the page with the reason.</summary>
    private async Task<IActionResult> AnswerAsync(TerminalOutcome outcome, string doneKey, string? subject = null)
    {
        if (outcome.Error == TerminalError.NotFound)
        {
            return NotFound();
        }

        if (outcome.Succeeded)
        {
            TempData["notice"] = text[doneKey, subject ?? outcome.Terminal!.Name].Value;
            return LocalRedirect(Here);
        }

        if (outcome.Error == TerminalError.Invalid)
        {
            foreach (var (field, messages) in outcome.Fields!)
            {
                foreach (var message in messages)
                {
                    Errors.Add(field, message);
                }
            }
        }
        else
        {
            Errors.Add("actions", text["terminals.admin.error." + outcome.Error]);
        }

        return await LoadAsync(keepInput: true) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(bool keepInput = false)
    {
        var ct = HttpContext.RequestAborted;
        if (await registry.FindAsync(Id, ct) is not { } terminal)
        {
            return false;
        }

        Target = terminal;
        Now = time.GetUtcNow();
        if (!keepInput)
        {
            Name = terminal.Name;
            Location = terminal.Location;
        }

        if (terminal.OwnerUserId is { } owner)
        {
            OwnerName = (await users.GetAsync(owner, ct))?.DisplayName;
        }

        if (terminal.Kind == "office")
        {
            var assigned = (terminal.Assignees ?? []).Select(a => a.UserId).ToHashSet();
            var page = await users.ListAsync(string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(), null, 0, PickerSize, ct);
            CandidatesTotal = page.Total;
            Candidates = page.Items.Where(u => u.Status != "disabled" && !assigned.Contains(u.Id)).ToList();
        }

        return true;
    }
}
