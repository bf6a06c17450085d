using AspService.Server.Hosting;
using AspService.Server.Audit;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using AspService.Server.Terminals;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Terminals;

/// <summary>「端末の紛失・盗難の届出」: GET explains what will happen; the POST (antiforgery) runs the use case.</summary>
public sealed class ReportLostModel(TerminalRegistry registry, ReportLostDevice report, IStringLocalizer<ConsoleText> text) : TenantPageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    public string? TerminalName { get; private set; }

    public FormErrors Errors { get; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        TerminalName = (await registry.MineAsync(Me.Id, HttpContext.RequestAborted)).Home.FirstOrDefault(t => t.Id == Id)?.Name;
        return TerminalName is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var outcome = await report.RunAsync(new ReportLostDeviceCommand(Id, Kind == "stolen"),
            new Actor(Me.Id, HttpActor.Client(HttpContext)), HttpContext.RequestAborted);
        if (!outcome.Succeeded)
        {
            return NotFound();
        }

        TempData["notice"] = text["lost.done", outcome.TerminalName!, outcome.AdminsNotified].Value;
        return LocalRedirect(Request.PathBase + "/my/terminals");
    }
}
