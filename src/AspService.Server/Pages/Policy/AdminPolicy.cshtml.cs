using AspService.Server.Hosting;
using System.Globalization;
using AspService.Server.Audit;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using AspService.Server.Policy;
using AspService.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using AspService.Common;

namespace AspService.Server.Pages.Policy;

/// <summary>
/// The telework policy for an administrator: every rule on one form, the municipality's own closed days, a calendar
/// of the coming weeks. A change that weakens security (MFA, home certificate, redirection, self-registration,
/// approval) is saved only after a second step that lists what weakens and what follows; leaving with unsaved edits
/// asks first (console.js). The form posts the version it was read at, so a concurrent change is not overwritten.
/// </summary>
public sealed class AdminPolicyModel(PolicyStore store, TimeProvider time, IStringLocalizer<ConsoleText> text) : AdminPageModel
{
    public const int PreviewWeeks = 4;

    [BindProperty]
    public PolicyForm Form { get; set; } = new();

    [BindProperty]
    public bool Confirmed { get; set; }

    public IReadOnlyList<string> Weakening { get; private set; } = [];

    public IReadOnlyList<PolicyCalendarDay> Preview { get; private set; } = [];

    public DateOnly Today { get; private set; }

    public FormErrors Errors { get; } = new();

    public async Task OnGetAsync()
    {
        var view = await store.GetAsync(HttpContext.RequestAborted);
        Form = PolicyForm.From(view.Policy, view.Version);
        ShowPreview(view.Policy);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var policy = Form.ToPolicy(Errors, text);
        if (policy is null)
        {
            ShowPreview((await store.GetAsync(HttpContext.RequestAborted)).Policy);
            return Page();
        }

        var outcome = await store.SaveAsync(new PolicySaveCommand(policy, Form.Version, Confirmed),
            new Actor(Me.Id, HttpActor.Client(HttpContext)), HttpContext.RequestAborted);
        ShowPreview(policy);
        if (outcome.Saved)
        {
            TempData["notice"] = text["policy.saved"].Value;
            return LocalRedirect(Request.PathBase + "/admin/policy");
        }

        if (outcome.Conflict)
        {
            Errors.Add("policy-form", text["policy.conflict"]);
        }

        foreach (var error in outcome.Errors)
        {
            var field = error.Field.Split('[')[0];
            Errors.Add(field, error.Message.For(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en"));
        }

        Weakening = outcome.NeedsConfirmation ? outcome.Weakening : [];
        return Page();
    }

    private void ShowPreview(TeleworkPolicy policy)
    {
        Today = Jst.Today(time.GetUtcNow());
        var monday = Today.AddDays(-(((int)Today.DayOfWeek + 6) % 7));
        Preview = PolicyCalendar.Days(policy, monday, PreviewWeeks * 7);
    }
}
