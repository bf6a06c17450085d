using System.Text;

namespace AspService.Server.Sessions;

/// <summary>One relayed session as a telework record: start and end (UTC; shown in JST) and its length.</summary>
public sealed record TeleworkSession(DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Length => End - Start;
}
