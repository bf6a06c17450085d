using System.Globalization;
using AspService.Data.TenantData;
using AspService.Server.Consoles;
using AspService.Server.Resources;
using AspService.Server.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Sessions;

/// <summary>Every staff member's sessions and refused requests: filter by staff member and JST dates, 50 a page.</summary>
public sealed class AdminHistoryModel(SessionHistory history, TenantDbContext db, IStringLocalizer<ConsoleText> text) : AdminPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "user")]
    public Guid? UserId { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<(Guid Id, string Name)> Staff { get; private set; } = [];

    public SessionHistoryPage Result { get; private set; } = new(0, 1, PageSize, []);

    public FormErrors Errors { get; } = new();

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Staff = [.. (await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(ct))
            .Select(u => (u.Id, string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? "" : u.DisplayName))];
        var from = Date("from", From);
        var to = Date("to", To);
        if (from is { } f && to is { } t && f > t)
        {
            Errors.Add("from", text["admin.history.dates.order"]);
        }

        if (Errors.Any)
        {
            return;
        }

        Result = await history.ListAsync(new SessionHistoryQuery(UserId, from, to, Math.Max(1, PageNumber), PageSize), ct);
    }

    /// <summary>The link to another page of the same filter.</summary>
    public string PageLink(int page)
    {
        var query = new List<string>();
        if (UserId is { } u)
        {
            query.Add("user=" + u.ToString("D"));
        }

        if (!string.IsNullOrEmpty(From))
        {
            query.Add("from=" + Uri.EscapeDataString(From));
        }

        if (!string.IsNullOrEmpty(To))
        {
            query.Add("to=" + Uri.EscapeDataString(To));
        }

        query.Add("p=" + page.ToString(CultureInfo.InvariantCulture));
        return Url.Content("~/admin/sessions/history") + "?" + string.Join('&', query);
    }

    private DateOnly? Date(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Errors.Add(field, text["admin.history.date.invalid"]);
        return null;
    }
}
