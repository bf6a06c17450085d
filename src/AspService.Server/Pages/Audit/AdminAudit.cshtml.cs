using System.Globalization;
using System.Text;
using AspService.Identity;
using AspService.Server.Audit;
using AspService.Server.Consoles;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using AspService.Common;

namespace AspService.Server.Pages.Audit;

/// <summary>
/// The audit log for an administrator: filter by action, person and JST days; every action, key and known value
/// in words from the vocabulary; people and terminals by name; CSV export of the same filter (UTF-8 with BOM).
/// </summary>
public sealed class AdminAuditModel(AuditQuery query, TenantUsersAdmin users, IStringLocalizer<ConsoleText> text) : AdminPageModel
{
    public const int PageSize = 100;

    private static readonly string[] Columns =
        ["audit.col.at", "audit.col.action", "audit.col.actor", "audit.col.subject", "audit.col.detail", "audit.col.client", "audit.col.sequence"];

    private static readonly string[] DayFormats = ["yyyy-MM-dd", "yyyy-M-d"];

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true, Name = "user")]
    public Guid? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public AuditPage Entries { get; private set; } = new([], new Dictionary<string, string>(), null);

    public IReadOnlyList<TenantUsersAdmin.UserDto> People { get; private set; } = [];

    public FormErrors Errors { get; } = new();

    public async Task OnGetAsync()
    {
        People = (await users.ListAsync(null, null, 0, 500, HttpContext.RequestAborted)).Items;
        if (Filter() is { } filter)
        {
            Entries = await query.RunAsync(filter, Before, PageSize, HttpContext.RequestAborted);
        }
    }

    public async Task<IActionResult> OnGetExportAsync()
    {
        if (Filter() is not { } filter)
        {
            await OnGetAsync();
            return Page();
        }

        var page = await query.RunAsync(filter, null, AuditQuery.MaxTake, HttpContext.RequestAborted);
        var csv = new StringBuilder();
        csv.AppendJoin(',', Columns.Select(k => Csv.Field(text[k]))).Append("\r\n");
        foreach (var row in page.Rows)
        {
            csv.AppendJoin(',',
                Csv.Field(Jst.Format(row.At)),
                Csv.Field(ActionLabel(row.Action)),
                Csv.Field(Who(row.Actor, page.Names).Text),
                Csv.Field(row.Subject is null ? "" : Who(row.Subject, page.Names).Text),
                Csv.Field(DetailText(row, page.Names)),
                Csv.Field(row.Client),
                row.Sequence.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"audit-{Tenant.Code}.csv");
        return File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())], "text/csv; charset=utf-8", name);
    }

    /// <summary>The filter from the query string, or null with field errors.</summary>
    private AuditFilter? Filter()
    {
        var from = Day("from", From);
        var to = Day("to", To);
        if (from is { } f && to is { } t && t < f)
        {
            Errors.Add("to", text["audit.filter.order"]);
        }

        if (!string.IsNullOrEmpty(Action) && !AuditCatalog.IsKnown(Action))
        {
            Errors.Add("action", text["audit.filter.action.unknown"]);
        }

        return Errors.Any ? null : new AuditFilter(string.IsNullOrEmpty(Action) ? null : Action, UserId, from, to);
    }

    private DateOnly? Day(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var narrow = Normalize.Narrow(value)!.Replace('/', '-');
        if (DateOnly.TryParseExact(narrow, DayFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        Errors.Add(field, text["audit.filter.date.invalid"]);
        return null;
    }

    public string ActionLabel(string action)
    {
        var label = text["audit." + action];
        return label.ResourceNotFound ? text["audit.action.unknown", action] : label.Value;
    }

    /// <summary>A person or terminal by name; the system and other known words by their label; anything else is a code.</summary>
    public Shown Who(string id, IReadOnlyDictionary<string, string> names) =>
        id == AuditLog.System ? new(text["audit.system"], false) : Value(id, names);

    /// <summary>The detail's parts in words: the key's label (null for a bare word) and each value.</summary>
    public IEnumerable<(string? Key, IReadOnlyList<Shown> Values)> DetailParts(AuditRow row, IReadOnlyDictionary<string, string> names) =>
        AuditDetail.Parse(row.Detail).Select(p => (
            p.Key is null ? null : Label("audit.detail." + p.Key, p.Key),
            (IReadOnlyList<Shown>)[.. p.Values.Select(v => Value(v, names))]));

    public string DetailText(AuditRow row, IReadOnlyDictionary<string, string> names) =>
        AuditDetail.IsJson(row.Detail) ? row.Detail!
        : string.Join(" / ", DetailParts(row, names).Select(p =>
            (p.Key is null ? "" : p.Key + ": ") + string.Join("、", p.Values.Select(v => v.Text))));

    private Shown Value(string value, IReadOnlyDictionary<string, string> names)
    {
        if (names.TryGetValue(value, out var name))
        {
            return new(name, false);
        }

        // A revocation's reason is sometimes the action that caused it (reason=user.disabled).
        if (AuditCatalog.IsKnown(value))
        {
            return new(ActionLabel(value), false);
        }

        var label = text["audit.value." + value];
        return label.ResourceNotFound ? new(value, true) : new(label.Value, false);
    }

    private string Label(string key, string fallback)
    {
        var label = text[key];
        return label.ResourceNotFound ? fallback : label.Value;
    }

    public string PageUrl(long before) =>
        $"{Request.PathBase}/admin/audit?action={Uri.EscapeDataString(Action ?? "")}&user={UserId}&from={Uri.EscapeDataString(From ?? "")}&to={Uri.EscapeDataString(To ?? "")}&before={before}";

    public string ExportUrl() =>
        $"{Request.PathBase}/admin/audit?handler=Export&action={Uri.EscapeDataString(Action ?? "")}&user={UserId}&from={Uri.EscapeDataString(From ?? "")}&to={Uri.EscapeDataString(To ?? "")}";

    /// <summary>Text for people; <see cref="Code"/> when it is an identifier or code without words (shown as code).</summary>
    public sealed record Shown(string Text, bool Code);
}
