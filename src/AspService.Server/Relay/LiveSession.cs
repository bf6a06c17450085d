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
