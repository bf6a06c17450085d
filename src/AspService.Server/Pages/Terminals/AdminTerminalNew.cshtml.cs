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
/// Registers an office PC ahead of the PC itself (what <c>POST api/v1/terminals {kind:'office'}</c> does), then goes
/// to its page, where the enrollment token for it is issued.
/// </summary>
public sealed class AdminTerminalNewModel(TerminalRegistry registry, IStringLocalizer<ConsoleText> text) : AdminPageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Location { get; set; }

    public FormErrors Errors { get; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var request = new TerminalRegistry.CreateRequest("office", Name, Location, null);
        var outcome = await registry.CreateAsync(request, new Actor(Me.Id, HttpActor.Client(HttpContext)), HttpContext.RequestAborted);
        if (outcome.Terminal is { } created)
        {
            TempData["notice"] = text["terminals.admin.done.created", created.Name].Value;
            return LocalRedirect(Request.PathBase + "/admin/terminals/" + created.Id.ToString("D"));
        }

        foreach (var (field, messages) in outcome.Fields ?? new Dictionary<string, string[]>())
        {
            Errors.Add(field, messages[0]);
        }

        return Page();
    }
}
