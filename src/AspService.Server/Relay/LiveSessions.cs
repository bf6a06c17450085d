using System.Collections.Concurrent;
using AspService.Data.Relay;

namespace AspService.Server.Relay;

/// <summary>A session this node is piping right now.</summary>
public sealed class LiveSession(Guid id, Guid tenantId, Guid userId, Guid homeTerminalId, Guid officeTerminalId, StreamPipe pipe) : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();

    public Guid Id { get; } = id;

    public Guid TenantId { get; } = tenantId;

    public Guid UserId { get; } = userId;

    public Guid HomeTerminalId { get; } = homeTerminalId;

    public Guid OfficeTerminalId { get; } = officeTerminalId;

    public StreamPipe Pipe { get; } = pipe;

    /// <summary>Why it was ended from outside (null while nobody ended it).</summary>
    public string? ClosedBecause { get; private set; }

    public CancellationToken Token => _cancel.Token;

    public void Close(string reason)
    {
        ClosedBecause ??= reason;
        _cancel.Cancel();
    }

    public bool Matches(RelayCommand command) => command.TenantId == TenantId && command.Kind switch
    {
        RelayCommandKind.CloseSession => command.TargetId == Id,
        RelayCommandKind.CloseUser => command.TargetId == UserId,
        RelayCommandKind.CloseTerminal => command.TargetId == HomeTerminalId || command.TargetId == OfficeTerminalId,
        RelayCommandKind.CloseTenant => true,
        _ => false,
    };

    public void Dispose() => _cancel.Dispose();
}

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
