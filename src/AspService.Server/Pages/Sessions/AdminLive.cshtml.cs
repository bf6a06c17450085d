using AspService.Server.Consoles;
using AspService.Server.Sessions;

namespace AspService.Server.Pages.Sessions;

/// <summary>The tenant's live sessions, each with a link to force its disconnect (after a confirmation page).</summary>
public sealed class AdminLiveModel(SessionViews sessions, TimeProvider time) : AdminPageModel
{
    public IReadOnlyList<SessionViews.SessionDto> Live { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync()
    {
        Now = time.GetUtcNow();
        var page = (await sessions.ListAsync(null, "live", 0, 500, HttpContext.RequestAborted)).Value;
        Live = page?.Items ?? [];
    }

    /// <summary>Hours and minutes since the session started.</summary>
    public (int Hours, int Minutes) Elapsed(SessionViews.SessionDto s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var span = Now - (s.StartedAt ?? s.RequestedAt);
        span = span < TimeSpan.Zero ? TimeSpan.Zero : span;
        return ((int)span.TotalHours, span.Minutes);
    }
}
