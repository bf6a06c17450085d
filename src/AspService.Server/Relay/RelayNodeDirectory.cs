using AspService.Data.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Relay;

/// <summary>Which relay nodes are alive: a heartbeat within <see cref="RelayOptions.NodeTimeout"/> and not stopped.</summary>
public sealed class RelayNodeDirectory(IDbContextFactory<CatalogDbContext> catalogs, TimeProvider time, IOptions<RelayOptions> options)
{
    public async Task<Dictionary<Guid, string>> AliveAsync(CancellationToken ct)
    {
        var since = time.GetUtcNow() - options.Value.NodeTimeout;
        await using var catalog = await catalogs.CreateDbContextAsync(ct);
        return await catalog.RelayNodes.AsNoTracking().Where(n => n.StoppedAt == null && n.LastHeartbeatAt > since)
            .ToDictionaryAsync(n => n.Id, n => n.PublicUrl, ct);
    }

    /// <summary>The raw data tunnel a node offers (decision 0075), or null (an older node, or the tunnel is off).</summary>
    public async Task<string?> TunnelUrlAsync(Guid nodeId, CancellationToken ct)
    {
        await using var catalog = await catalogs.CreateDbContextAsync(ct);
        return await catalog.RelayNodes.AsNoTracking().Where(n => n.Id == nodeId).Select(n => n.TunnelUrl).FirstOrDefaultAsync(ct);
    }
}
