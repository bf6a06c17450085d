using AspService.Data.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AspService.Server.Hosting;

/// <summary>
/// Embedded default: brings the catalog to the current schema before the server accepts requests.
/// Production turns this off and runs the <c>migrate</c> command. Tenant databases are never migrated here.
/// </summary>
public sealed class CatalogMigrationService(IDbContextFactory<CatalogDbContext> catalogs, IOptions<ServerOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateCatalogOnStart)
        {
            return;
        }

        await using var catalog = await catalogs.CreateDbContextAsync(cancellationToken);
        await catalog.Database.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
