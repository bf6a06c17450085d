using AspService.Data.Catalog;
using AspService.Server.Consoles;
using AspService.Server.Tenancy;
using AspService.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Pages.Operators;

/// <summary>The municipalities served (search by code, name or reading; filter by state) and direct onboarding.</summary>
public sealed class TenantsModel(CatalogDbContext catalog, TenantOnboarding onboarding) : OperatorPageModel
{
    public IReadOnlyList<TenantDto> Items { get; private set; } = [];

    public int Total { get; private set; }

    public FormErrors Errors { get; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public TenantState? State { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? AdminEmail { get; set; }

    [BindProperty]
    public string? Department { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostOnboardAsync(CancellationToken ct)
    {
        var outcome = await onboarding.OnboardAsync(new TenantOnboarding.Request(Normalize.Narrow(Code), Normalize.Narrow(AdminEmail), Department?.Trim()), ct);
        if (outcome.Value is { } tenant)
        {
            return Redirect("/ops/tenants/" + tenant.Code);
        }

        AddFailure(Errors, outcome.Failure!, "code");
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var query = catalog.Tenants.AsNoTracking().Where(t => t.State != TenantState.Deleted || State == TenantState.Deleted);
        if (State is { } s)
        {
            query = query.Where(t => t.State == s);
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            var term = Normalize.Narrow(Q)!;
            var kana = KanaText.ToHiragana(term);
            query = query.Where(t => t.Code.StartsWith(term) || t.Name.Contains(term) || t.Kana.Contains(kana));
        }

        Total = await query.CountAsync(ct);
        Items = [.. (await query.OrderBy(t => t.Code).Take(200).ToListAsync(ct)).Select(t => TenantDto.From(t))];
    }
}
