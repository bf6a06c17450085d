using System.Collections.Concurrent;
using AspService.Data.Relay;

namespace AspService.Server.Relay;

/// <summary>The sessions this node pipes. Bounded by the connections the node accepts; nothing is kept after a session ends.</summary>
public sealed class LiveSessions
{
    private readonly ConcurrentDictionary<Guid, LiveSession> _sessions = new();

    public int Count => _sessions.Count;

    public void Add(LiveSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _sessions[session.Id] = session;
    }

    public void Remove(Guid id) => _sessions.TryRemove(id, out _);

    public LiveSession? Find(Guid id) => _sessions.GetValueOrDefault(id);

    public int Close(RelayCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var closed = 0;
        foreach (var session in _sessions.Values.Where(s => s.Matches(command)))
        {
            session.Close(command.Reason);
            closed++;
        }

        return closed;
    }

    public void CloseAll(string reason)
    {
        foreach (var session in _sessions.Values)
        {
            session.Close(reason);
        }
    }
}
