using AspService.Data.Catalog;
using AspService.Data.Relay;
using Microsoft.EntityFrameworkCore;

namespace AspService.Server.Relay;

/// <summary>Broadcasts "close these live sessions" to every relay node (they poll every second).</summary>
public sealed class RelayCommands(CatalogDbContext catalog, TimeProvider time)
{
    public async Task EnqueueAsync(Guid tenantId, RelayCommandKind kind, Guid targetId, string reason, CancellationToken ct)
    {
        catalog.RelayCommands.Add(new RelayCommand { TenantId = tenantId, Kind = kind, TargetId = targetId, Reason = reason, CreatedAt = time.GetUtcNow() });
        await catalog.SaveChangesAsync(ct);
    }
}
