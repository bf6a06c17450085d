using AspService.Data.Catalog;
using AspService.Data.Tenancy;
using AspService.Server.Consoles;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Pages.Operators;

/// <summary>
/// Applications (利用申込): pending ones first, each with approve (onboards the municipality and starts provisioning)
/// or reject with a reason the applicant is told. The same <see cref="Signups"/> service as the operator API.
/// </summary>
public sealed class ApplicationsModel(CatalogDbContext catalog, Signups signups) : OperatorPageModel
{
    public IReadOnlyList<ApplicationDto> Pending { get; private set; } = [];

    public IReadOnlyList<ApplicationDto> Decided { get; private set; } = [];

    public FormErrors Errors { get; } = new();

    /// <summary>The application whose reject form had errors (its form stays open).</summary>
    public Guid? Rejecting { get; private set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken ct)
    {
        var outcome = await signups.ApproveAsync(id, Actor, ct);
        if (outcome.Value is { } approved)
        {
            return Redirect("/ops/tenants/" + approved.Code + "?approved=1");
        }

        if (outcome.Failure!.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }

        Errors.Add("app-" + id, Message(outcome.Failure, "code"));
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRejectAsync(Guid id, CancellationToken ct)
    {
        var outcome = await signups.RejectAsync(id, new Signups.RejectRequest(Reason), Actor, ct);
        if (outcome.Succeeded)
        {
            return Redirect("/ops/applications?rejected=1");
        }

        if (outcome.Failure!.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }

        Rejecting = id;
        Errors.Add("reason-" + id, Message(outcome.Failure, "reason"));
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var all = await catalog.SignupApplications.AsNoTracking().OrderByDescending(a => a.CreatedAt).Take(500).ToListAsync(ct);
        Pending = [.. all.Where(a => a.State == ApplicationState.Pending).OrderBy(a => a.CreatedAt).Select(ApplicationDto.From)];
        Decided = [.. all.Where(a => a.State != ApplicationState.Pending).Select(ApplicationDto.From)];
    }
}
