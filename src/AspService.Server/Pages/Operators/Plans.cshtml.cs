using System.Globalization;
using AspService.Data.Catalog;
using AspService.Server.Billing;
using AspService.Server.Consoles;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Operators;

/// <summary>
/// Plan versions (prices in yen from a date): the list, a new version, and a change of one (prices are frozen once
/// an invoice uses it — <see cref="PlanAdmin"/> says so). With an id the form edits that version.
/// </summary>
public sealed class PlansModel(CatalogDbContext catalog, PlanAdmin plans, IStringLocalizer<ConsoleText> text) : OperatorPageModel
{
    public IReadOnlyList<PlanDto> All { get; private set; } = [];

    public PlanDto? Editing { get; private set; }

    public FormErrors Errors { get; } = new();

    [BindProperty]
    public PlanForm Form { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        if (Editing is { } p)
        {
            Form = PlanForm.From(p);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        var request = Form.ToRequest(Errors, text, Editing);
        if (!Errors.Any)
        {
            var outcome = Editing is null ? await plans.CreateAsync(request, ct) : await plans.UpdateAsync(Editing.Id, request, ct);
            if (outcome.Succeeded)
            {
                return Redirect("/ops/billing/plans?saved=1");
            }

            AddFailure(Errors, outcome.Failure!, "code");
        }

        return Page();
    }

    private async Task<bool> LoadAsync(Guid? id, CancellationToken ct)
    {
        All = [.. (await catalog.Plans.AsNoTracking().ToListAsync(ct)).OrderBy(p => p.Code, StringComparer.Ordinal).ThenBy(p => p.EffectiveFrom).Select(PlanDto.From)];
        Editing = id is null ? null : All.SingleOrDefault(p => p.Id == id);
        return id is null || Editing is not null;
    }

    /// <summary>The form as typed (full-width digits and commas accepted); field ids are the API's names in lower case.</summary>
    public sealed class PlanForm
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string? EffectiveFrom { get; set; }
        public string? EffectiveUntil { get; set; }
        public string? BaseFee { get; set; }
        public string? PerOfficeTerminal { get; set; }
        public string? PerActiveUser { get; set; }
        public string? IncludedSessionHours { get; set; }
        public string? PerExtraHour { get; set; }
        public int? Version { get; set; }

        public static PlanForm From(PlanDto p) => new()
        {
            Code = p.Code,
            Name = p.Name,
            EffectiveFrom = p.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            EffectiveUntil = p.EffectiveUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            BaseFee = Num(p.BaseFee),
            PerOfficeTerminal = Num(p.PerOfficeTerminal),
            PerActiveUser = Num(p.PerActiveUser),
            IncludedSessionHours = Num(p.IncludedSessionHours),
            PerExtraHour = Num(p.PerExtraHour),
            Version = p.Version,
        };

        public PlanAdmin.PlanRequest ToRequest(FormErrors errors, IStringLocalizer<ConsoleText> text, PlanDto? editing)
        {
            ArgumentNullException.ThrowIfNull(errors);
            ArgumentNullException.ThrowIfNull(text);
            DateOnly? Date(string field, string? value, bool required)
            {
                var v = Normalize.Narrow(value);
                if (string.IsNullOrEmpty(v))
                {
                    if (required)
                    {
                        errors.Add(field, text["ops.form.required"]);
                    }

                    return null;
                }

                if (DateOnly.TryParseExact(v.Replace('/', '-'), "yyyy-M-d", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    return d;
                }

                errors.Add(field, text["ops.form.date"]);
                return null;
            }

            long? Money(string field, string? value)
            {
                var v = Normalize.Narrow(value)?.Replace(",", "", StringComparison.Ordinal).Replace("円", "", StringComparison.Ordinal);
                if (string.IsNullOrEmpty(v))
                {
                    errors.Add(field, text["ops.form.required"]);
                    return null;
                }

                if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                {
                    return n;
                }

                errors.Add(field, text["ops.form.number"]);
                return null;
            }

            return new PlanAdmin.PlanRequest(
                editing is null ? Normalize.Narrow(Code) : null,
                Name?.Trim(), // a name keeps its full-width characters; only codes, dates and numbers are narrowed
                Date("effectivefrom", EffectiveFrom, required: true),
                Date("effectiveuntil", EffectiveUntil, required: false),
                Money("basefee", BaseFee),
                Money("perofficeterminal", PerOfficeTerminal),
                Money("peractiveuser", PerActiveUser),
                (int?)Money("includedsessionhours", IncludedSessionHours),
                Money("perextrahour", PerExtraHour),
                editing is null ? null : Version);
        }

        private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
    }
}
