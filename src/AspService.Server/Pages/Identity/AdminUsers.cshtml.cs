using AspService.Server.Hosting;
using AspService.Server.Audit;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Identity;

/// <summary>
/// The administrator's list of users: search, last sign-in, links to each user, CSV export, and bulk disable for a
/// 人事異動 (select several, confirm on a second step that says what follows, then the same use case per user).
/// </summary>
public sealed class AdminUsersModel(TenantUsersAdmin admin, IStringLocalizer<ConsoleText> text) : AdminPageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Role { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; }

    [BindProperty]
    public List<Guid> Selected { get; set; } = [];

    public TenantUsersAdmin.UserPage Users { get; private set; } = new(0, []);

    public IReadOnlyDictionary<Guid, DateTimeOffset> LastSignIns { get; private set; } = new Dictionary<Guid, DateTimeOffset>();

    /// <summary>Set on the confirmation step of a bulk disable: the users that will be disabled.</summary>
    public IReadOnlyList<TenantUsersAdmin.UserDto>? ToDisable { get; private set; }

    public FormErrors Errors { get; } = new();

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnGetExportAsync() =>
        File(await admin.ExportCsvAsync(HttpContext.RequestAborted), "text/csv; charset=utf-8", "users.csv");

    /// <summary>First step: show who would be disabled and what follows; nothing changes yet.</summary>
    public async Task<IActionResult> OnPostDisableAsync(bool confirmed)
    {
        var ct = HttpContext.RequestAborted;
        var chosen = new List<TenantUsersAdmin.UserDto>();
        foreach (var id in Selected.Distinct())
        {
            if (await admin.GetAsync(id, ct) is { } user)
            {
                chosen.Add(user);
            }
        }

        if (chosen.Count == 0)
        {
            Errors.Add("users-table", text["users.bulk.none"]);
            await LoadAsync();
            return Page();
        }

        if (!confirmed)
        {
            ToDisable = chosen;
            await LoadAsync();
            return Page();
        }

        var actor = new Actor(Me.Id, HttpActor.Client(HttpContext));
        var done = 0;
        var refused = new List<string>();
        foreach (var user in chosen)
        {
            var outcome = await admin.DisableAsync(user.Id, actor, ct);
            if (outcome.Succeeded)
            {
                done++;
            }
            else
            {
                refused.Add(user.DisplayName);
            }
        }

        TempData["notice"] = refused.Count == 0
            ? text["users.bulk.done", done].Value
            : text["users.bulk.partly", done, string.Join("、", refused)].Value;
        return LocalRedirect(Request.PathBase + "/admin/users");
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        PageNumber = Math.Max(0, PageNumber);
        Users = await admin.ListAsync(Q, Role, PageNumber * PageSize, PageSize, ct);
        LastSignIns = await admin.LastSignInsAsync([.. Users.Items.Select(u => u.Id)], ct);
    }
}
