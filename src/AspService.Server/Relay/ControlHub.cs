using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace AspService.Server.Relay;

/// <summary>The office agents connected to this node, by tenant and terminal. A reconnect replaces the older channel.</summary>
public sealed class ControlHub
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<(Guid Tenant, Guid Terminal), ControlChannel> _channels = new();

    // Presence writes of one terminal run one at a time (striped, so memory stays fixed), each deciding from the
    // registration it sees then: a late "online" of a replaced connection can never land after the last "offline".
    private readonly SemaphoreSlim[] _presenceGates = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    public int Count => _channels.Count;

    /// <summary>"Open a data stream for this session" — through the tunnel when this node has one (older agents ignore it).</summary>
    public static object Offer(Guid sessionId, string? tunnelUrl) =>
        tunnelUrl is null ? new { type = "session", sessionId } : new { type = "session", sessionId, tunnelUrl };

    public void Register(ControlChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (_channels.TryGetValue((channel.TenantId, channel.TerminalId), out var older) && older != channel)
        {
            older.Abort();
        }

        _channels[(channel.TenantId, channel.TerminalId)] = channel;
    }

    /// <summary>Removes the channel if it is still the registered one.</summary>
    public void Unregister(ControlChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channels.TryRemove(new KeyValuePair<(Guid, Guid), ControlChannel>((channel.TenantId, channel.TerminalId), channel));
    }

    /// <summary>
    /// Runs a presence write for <paramref name="channel"/>'s terminal if it still applies: "online" only while this
    /// channel is the registered one, "offline" only when no channel of the terminal is registered any more.
    /// </summary>
    public async Task WritePresenceAsync(ControlChannel channel, bool online, Func<Task> write)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(write);
        var gate = _presenceGates[(int)((uint)HashCode.Combine(channel.TenantId, channel.TerminalId) % (uint)_presenceGates.Length)];
        await gate.WaitAsync(CancellationToken.None);
        try
        {
            var current = Find(channel.TenantId, channel.TerminalId);
            if (online ? ReferenceEquals(current, channel) : current is null)
            {
                await write();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public ControlChannel? Find(Guid tenantId, Guid terminalId) => _channels.GetValueOrDefault((tenantId, terminalId));

    /// <summary>Aborts control connections that sent nothing since <paramref name="before"/> (their loop then unregisters them).</summary>
    public void DropSilent(DateTimeOffset before)
    {
        foreach (var channel in _channels.Values.Where(c => c.LastHeard < before))
        {
            channel.Abort();
        }
    }

    /// <summary>Closes the control connections of a terminal (revoked or disabled) or of a whole tenant.</summary>
    public void Drop(Guid tenantId, Guid? terminalId)
    {
        foreach (var channel in _channels.Values.Where(c => c.TenantId == tenantId && (terminalId is null || c.TerminalId == terminalId)))
        {
            channel.Abort();
        }
    }
}
