using AspService.Data.Catalog;
using AspService.Server.Consoles;
using AspService.Server.Tenancy;
using AspService.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AspService.Server.Pages.Operators;

/// <summary>
/// The confirmation of a destructive lifecycle action, on a page of its own (works without script): suspending
/// (sign-in and connections stop at once, live sessions close, data stays) asks for the reason; ending the service
/// (利用終了: data exported, database dropped after the retention period) asks for the municipality code typed again.
/// </summary>
public sealed class TenantActionModel(CatalogDbContext catalog, TenantLifecycleActions actions, IOptions<TenancyOptions> tenancy) : OperatorPageModel
{
    public const string Suspend = "suspend";
    public const string Decommission = "decommission";

    public TenantDto Tenant { get; private set; } = null!;

    public string Action { get; private set; } = Suspend;

    public FormErrors Errors { get; } = new();

    public int RetentionDays => (int)tenancy.Value.DecommissionRetention.TotalDays;

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? ConfirmCode { get; set; }

    public async Task<IActionResult> OnGetAsync(string key, string verb, CancellationToken ct) =>
        await LoadAsync(key, verb, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string key, string verb, CancellationToken ct)
    {
        if (!await LoadAsync(key, verb, ct))
        {
            return NotFound();
        }

        var outcome = Action == Suspend
            ? await actions.SuspendAsync(key, new TenantLifecycleActions.SuspendRequest(Reason?.Trim()), ct)
            : await actions.DecommissionAsync(key, new TenantLifecycleActions.DecommissionRequest(Normalize.Narrow(ConfirmCode)), ct);
        if (outcome.Value is { } tenant)
        {
            return Redirect($"/ops/tenants/{tenant.Code}?done={(Action == Suspend ? "suspended" : "decommissioned")}");
        }

        AddFailure(Errors, outcome.Failure!, Action == Suspend ? "reason" : "confirmcode");
        return Page();
    }

    private async Task<bool> LoadAsync(string key, string verb, CancellationToken ct)
    {
        if (verb is not (Suspend or Decommission) || await TenantFinder.FindAsync(catalog, key, ct) is not { } tenant)
        {
            return false;
        }

        Action = verb;
        Tenant = TenantDto.From(tenant);
        return TenantLifecycle.CanMove(tenant.State, verb == Suspend ? TenantState.Suspended : TenantState.Decommissioning);
    }
}
