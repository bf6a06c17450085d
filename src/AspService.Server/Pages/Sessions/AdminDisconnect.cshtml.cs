using AspService.Server.Hosting;
using AspService.Server.Audit;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using AspService.Server.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Sessions;

/// <summary>Force-disconnect: GET says what will happen (and changes nothing); the POST (antiforgery) runs the use case.</summary>
public sealed class AdminDisconnectModel(SessionViews sessions, DisconnectSession disconnect, IStringLocalizer<ConsoleText> text) : AdminPageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public SessionViews.SessionDto Session { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        if ((await sessions.GetAsync(Id, HttpContext.RequestAborted)).Value is not { } session)
        {
            return NotFound();
        }

        if (session.State == "ended")
        {
            TempData["notice"] = text["admin.disconnect.notlive"].Value;
            return LocalRedirect(Request.PathBase + "/admin/sessions");
        }

        Session = session;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var session = (await sessions.GetAsync(Id, HttpContext.RequestAborted)).Value;
        var outcome = await disconnect.RunAsync(new DisconnectSessionCommand(Id), new Actor(Me.Id, HttpActor.Client(HttpContext)), HttpContext.RequestAborted);
        if (outcome.Error == DisconnectSessionError.NotFound || session is null)
        {
            return NotFound();
        }

        TempData["notice"] = outcome.Succeeded
            ? text["admin.disconnect.done", session.UserName ?? "―"].Value
            : text["admin.disconnect.notlive"].Value;
        return LocalRedirect(Request.PathBase + "/admin/sessions");
    }
}
