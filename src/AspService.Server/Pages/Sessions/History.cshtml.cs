using AspService.Server.Consoles;
using AspService.Server.Sessions;

namespace AspService.Server.Pages.Sessions;

/// <summary>The staff member's own connection history (newest first, times in JST, reasons in words).</summary>
public sealed class HistoryModel(SessionViews sessions) : TenantPageModel
{
    public SessionViews.SessionPage Sessions { get; private set; } = new(0, []);

    public async Task OnGetAsync() => Sessions = await sessions.MineAsync(Me.Id, 0, 100, HttpContext.RequestAborted);

    /// <summary>"2 時間 5 分" from start to end (or to now while live is not shown: no end, no duration).</summary>
    public static (int Hours, int Minutes)? Duration(SessionViews.SessionDto s) =>
        s is { StartedAt: { } start, EndedAt: { } end } ? ((int)(end - start).TotalHours, (end - start).Minutes) : null;
}
