using AspService.Billing;
using AspService.Data.Catalog;
using AspService.Server.Billing;
using AspService.Server.Billing.Stripe;
using AspService.Server.Consoles;
using AspService.Server.Tenancy;
using AspService.Server.Tenancy.Provisioning;
using AspService.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Pages.Operators;

/// <summary>
/// One municipality: its state, the provisioning (or decommissioning) steps in words, its plan assignments (and a new
/// one), its invoices and Stripe state, and the lifecycle actions. Suspending and ending the service (利用終了) are
/// asked on a page of their own that says what follows (<see cref="TenantActionModel"/>); resuming is immediate.
/// </summary>
public sealed class TenantModel(CatalogDbContext catalog, IEnumerable<ITenantStep> steps, TenantLifecycleActions actions, PlanAdmin plans,
    BillingOverview overview, StripeSettings stripe) : OperatorPageModel
{
    public sealed record StepRow(string Operation, string Name, DateTimeOffset? CompletedAt);

    public TenantDto Tenant { get; private set; } = null!;

    public IReadOnlyList<StepRow> Steps { get; private set; } = [];

    public IReadOnlyList<AssignmentDto> Assignments { get; private set; } = [];

    /// <summary>Plan codes with the name of their newest version, for the assignment form.</summary>
    public IReadOnlyList<(string Code, string Name)> PlanCodes { get; private set; } = [];

    public IReadOnlyList<BillingOverview.InvoiceRow> Invoices { get; private set; } = [];

    public StripeSettings.SettingsDto? Stripe { get; private set; }

    public FormErrors Errors { get; } = new();

    [BindProperty]
    public string? PlanCode { get; set; }

    [BindProperty]
    public string? EffectiveFrom { get; set; }

    public async Task<IActionResult> OnGetAsync(string key, CancellationToken ct) =>
        await LoadAsync(key, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostResumeAsync(string key, CancellationToken ct)
    {
        var outcome = await actions.ResumeAsync(key, ct);
        if (outcome.Value is { } tenant)
        {
            return Redirect($"/ops/tenants/{tenant.Code}?done=resumed");
        }

        if (outcome.Failure!.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }

        Errors.Add("actions", Message(outcome.Failure));
        await LoadAsync(key, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAssignAsync(string key, CancellationToken ct)
    {
        DateOnly? from = DateOnly.TryParseExact(Normalize.Narrow(EffectiveFrom)?.Replace('/', '-'), "yyyy-M-d",
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d : null;
        var outcome = await plans.AssignAsync(key, new PlanAdmin.AssignRequest(Normalize.Narrow(PlanCode), from), ct);
        if (outcome.Value is { } assigned)
        {
            return Redirect($"/ops/tenants/{assigned.TenantCode}?done=assigned#plans-title");
        }

        if (outcome.Failure!.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }

        AddFailure(Errors, outcome.Failure, "plancode");
        await LoadAsync(key, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(string key, CancellationToken ct)
    {
        var tenant = await TenantFinder.FindAsync(catalog, key, ct);
        if (tenant is null)
        {
            return false;
        }

        Tenant = TenantDto.From(tenant);
        var done = await catalog.TenantOperationSteps.AsNoTracking().Where(s => s.TenantId == tenant.Id).ToListAsync(ct);
        var operations = tenant.State is TenantState.Decommissioning or TenantState.Deleted
            ? new[] { TenantOperations.Provision, TenantOperations.Decommission }
            : [TenantOperations.Provision];
        Steps = [.. steps.Where(s => operations.Contains(s.Operation)).OrderBy(s => Array.IndexOf(operations, s.Operation)).ThenBy(s => s.Order)
            .Select(s => new StepRow(s.Operation, s.Name, done.FirstOrDefault(d => d.Operation == s.Operation && d.Step == s.Name)?.CompletedAt))];
        Assignments = [.. (await catalog.TenantPlanAssignments.AsNoTracking().Where(a => a.TenantId == tenant.Id).ToListAsync(ct))
            .OrderBy(a => a.EffectiveFrom).Select(AssignmentDto.From)];
        PlanCodes = [.. (await catalog.Plans.AsNoTracking().Select(p => new { p.Code, p.Name, p.EffectiveFrom }).ToListAsync(ct))
            .GroupBy(p => p.Code).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.MaxBy(p => p.EffectiveFrom)!.Name))];
        Invoices = await overview.InvoicesAsync(null, tenant.Code, ct);
        Stripe = await stripe.SettingsAsync(tenant, ct);
        PlanCode ??= Assignments.Count > 0 ? Assignments[^1].PlanCode : null;
        EffectiveFrom ??= BillingMonth.Of(HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).FirstDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }
}
