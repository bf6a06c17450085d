using System.Globalization;
using AspService.Billing;
using AspService.Data.TenantData;
using AspService.Server.Consoles;
using AspService.Server.Resources;
using AspService.Server.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using AspService.Common;

namespace AspService.Server.Pages.Sessions;

/// <summary>テレワーク実施記録: per staff member and month, each session's start and end in JST, the totals, and the CSV.</summary>
public sealed class AdminTeleworkModel(TeleworkRecords records, TenantDbContext db, TimeProvider time, IStringLocalizer<ConsoleText> text) : AdminPageModel
{
    [BindProperty(SupportsGet = true, Name = "month")]
    public string? MonthText { get; set; }

    [BindProperty(SupportsGet = true, Name = "user")]
    public Guid? UserId { get; set; }

    public BillingMonth Month { get; private set; }

    public IReadOnlyList<(Guid Id, string Name)> Staff { get; private set; } = [];

    public IReadOnlyList<TeleworkStaffMonth> Records { get; private set; } = [];

    public FormErrors Errors { get; } = new();

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Staff = [.. (await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Email)
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(ct))
            .Select(u => (u.Id, string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? "" : u.DisplayName))];
        if (!ChooseMonth())
        {
            return;
        }

        Records = await records.MonthAsync(Month, UserId, ct);
    }

    /// <summary><c>?handler=csv&amp;month=2026-11</c>: the month's records for 勤怠 systems (UTF-8 with BOM).</summary>
    public async Task<IActionResult> OnGetCsvAsync()
    {
        if (!ChooseMonth())
        {
            return BadRequest();
        }

        var bytes = TeleworkRecords.Csv(await records.MonthAsync(Month, UserId, HttpContext.RequestAborted));
        return File(bytes, "text/csv; charset=utf-8", $"telework-{Tenant.Code}-{Month}.csv");
    }

    public string CsvLink()
    {
        var link = Url.Content("~/admin/telework") + "?handler=csv&month=" + Month.ToString();
        return UserId is { } u ? link + "&user=" + u.ToString("D") : link;
    }

    public static (int Hours, int Minutes) HoursMinutes(TimeSpan span) => ((int)span.TotalHours, span.Minutes);

    private bool ChooseMonth()
    {
        if (string.IsNullOrWhiteSpace(MonthText))
        {
            Month = BillingMonth.Of(time.GetUtcNow());
            MonthText = Month.ToString();
            return true;
        }

        if (BillingMonth.TryParse(MonthText.Trim(), out var month))
        {
            Month = month.Value;
            return true;
        }

        Month = BillingMonth.Of(time.GetUtcNow());
        Errors.Add("month", text["admin.telework.month.invalid"]);
        return false;
    }

    public static string Time(DateTimeOffset instant, DateTimeOffset sameDayAs)
    {
        var (jst, day) = (Jst.ToJst(instant), Jst.ToJst(sameDayAs));
        return jst.ToString(jst.Date == day.Date ? "HH:mm" : "M/d HH:mm", CultureInfo.InvariantCulture);
    }
}
