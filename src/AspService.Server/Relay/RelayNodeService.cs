using AspService.Data.Catalog;
using AspService.Data.Relay;
using AspService.Server.Hosting;
using AspService.Server.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Relay;

/// <summary>
/// The relay role's node lifecycle: registers this node in the catalog once the agent listener is bound, keeps its
/// heartbeat, applies broadcast close commands to the sessions it pipes, and drops silent control connections.
/// </summary>
public sealed class RelayNodeService(
    RelayNodeIdentity node,
    IDbContextFactory<CatalogDbContext> catalogs,
    IServiceProvider services,
    LiveSessions sessions,
    ControlHub controls,
    TimeProvider time,
    IOptions<RelayOptions> options,
    IOptions<ServerOptions> server,
    IHostApplicationLifetime lifetime,
    ILogger<RelayNodeService> logger) : BackgroundService
{
    private long _lastCommand;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!server.Value.ParsedRoles.HasFlag(ServerRoles.Relay))
        {
            return;
        }

        // The public URL may be the bound address, known only once the server listens.
        await WaitForStartAsync(stoppingToken);
        await RegisterAsync(stoppingToken);
        var nextHeartbeat = time.GetUtcNow() + options.Value.HeartbeatInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.CommandPollInterval, time, stoppingToken);
                await ApplyCommandsAsync(stoppingToken);
                controls.DropSilent(time.GetUtcNow() - options.Value.NodeTimeout);
                if (time.GetUtcNow() >= nextHeartbeat)
                {
                    await HeartbeatAsync(stoppingToken);
                    nextHeartbeat = time.GetUtcNow() + options.Value.HeartbeatInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                // The catalog being briefly unreachable must not stop the relay; the next round retries.
                logger.LogWarning(ex, "Relay node {Node}: catalog round failed", node.Id);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        sessions.CloseAll(EndReasons.RelayStopped);
        await base.StopAsync(cancellationToken);
        if (server.Value.ParsedRoles.HasFlag(ServerRoles.Relay))
        {
            try
            {
                await using var catalog = await catalogs.CreateDbContextAsync(cancellationToken);
                await catalog.RelayNodes.Where(n => n.Id == node.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(n => n.StoppedAt, time.GetUtcNow()), cancellationToken);
            }
            catch (ObjectDisposedException)
            {
                // The host is being torn down with its services; the heartbeat simply stops and the node times out.
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or OperationCanceledException)
            {
                logger.LogWarning(ex, "Relay node {Node}: could not record the stop", node.Id);
            }
        }
    }

    private async Task WaitForStartAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var cancel = ct.Register(() => started.TrySetCanceled(ct));
        await started.Task;
    }

    private async Task RegisterAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var catalog = await catalogs.CreateDbContextAsync(ct);
        _lastCommand = await catalog.RelayCommands.MaxAsync(c => (long?)c.Id, ct) ?? 0;
        catalog.RelayNodes.Add(new RelayNode
        {
            Id = node.Id,
            PublicUrl = AgentAddress.PublicUrl(services),
            TunnelUrl = services.GetService<TunnelListener>()?.PublicUrl,
            Host = Environment.MachineName,
            StartedAt = now,
            LastHeartbeatAt = now,
        });
        await catalog.SaveChangesAsync(ct);
        logger.LogInformation("Relay node {Node} registered", node.Id);
    }

    private async Task HeartbeatAsync(CancellationToken ct)
    {
        await using var catalog = await catalogs.CreateDbContextAsync(ct);
        await catalog.RelayNodes.Where(n => n.Id == node.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.LastHeartbeatAt, time.GetUtcNow()), ct);
    }

    /// <summary>One round of broadcast commands (public for tests: they run it without waiting a second).</summary>
    public async Task ApplyCommandsAsync(CancellationToken ct)
    {
        await using var catalog = await catalogs.CreateDbContextAsync(ct);
        var last = _lastCommand;
        var commands = await catalog.RelayCommands.AsNoTracking().Where(c => c.Id > last).OrderBy(c => c.Id).Take(500).ToListAsync(ct);
        foreach (var command in commands)
        {
            switch (command.Kind)
            {
                case RelayCommandKind.OfferSession:
                    if (command.TerminalId is { } office && controls.Find(command.TenantId, office) is { } channel)
                    {
                        await channel.SendAsync(ControlHub.Offer(command.TargetId, services.GetService<TunnelListener>()?.PublicUrl), ct);
                    }

                    break;
                case RelayCommandKind.CloseTerminal:
                    sessions.Close(command);
                    controls.Drop(command.TenantId, command.TargetId);
                    break;
                case RelayCommandKind.CloseTenant:
                    sessions.Close(command);
                    controls.Drop(command.TenantId, null);
                    break;
                default:
                    sessions.Close(command);
                    break;
            }

            _lastCommand = command.Id;
        }
    }
}
