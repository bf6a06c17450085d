using System.Text;
using AspService.Common;

namespace AspService.Server.Sessions;

/// <summary>A staff member's telework in one month (テレワーク実施記録).</summary>
public sealed record TeleworkStaffMonth(Guid UserId, string Name, string? Department, string Email, IReadOnlyList<TeleworkSession> Sessions)
{
    public TimeSpan Total => TimeSpan.FromTicks(Sessions.Sum(s => s.Length.Ticks));

    /// <summary>Distinct JST days with telework.</summary>
    public int Days => Sessions.Select(s => Jst.Today(s.Start)).Distinct().Count();
}
