using AspService.Data;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;

namespace AspService.Server.Jobs;

/// <summary>
/// Hangfire's storage for the configured database provider. The storage holds only the queue and job history:
/// every recurring job recomputes what is due from the catalog and tenant databases (decision 0040).
/// </summary>
internal static class JobStorageFactory
{
    public const string Schema = "hangfire";

    public static JobStorage Create(DatabaseProviders providers, JobsOptions options) => providers.Provider switch
    {
        DatabaseProvider.PostgreSql => PostgreSql(ConnectionString(providers, options), new PostgreSqlStorageOptions
            {
                SchemaName = Schema,
                PrepareSchemaIfNecessary = true,
                // A fetched job stays invisible while its worker keeps refreshing it, so a long close or
                // provisioning is never fetched a second time; only a crashed worker's job reappears.
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = options.InvisibilityTimeout,
                DistributedLockTimeout = options.DistributedLockTimeout,
            }),
        DatabaseProvider.SqlServer => new SqlServerStorage(ConnectionString(providers, options), new SqlServerStorageOptions
        {
            SchemaName = Schema,
            PrepareSchemaIfNecessary = true,
            // Non-transactional fetch with a sliding timeout: long jobs keep their claim without a long transaction.
            SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
            QueuePollInterval = TimeSpan.Zero,
            UseRecommendedIsolationLevel = true,
            DisableGlobalLocks = true,
        }),
        _ => new InMemoryStorage(new InMemoryStorageOptions
        {
            // Keep finished jobs briefly: the catalog, not this history, is the record of what happened.
            MaxExpirationTime = TimeSpan.FromDays(1),
        }),
    };

    private static PostgreSqlStorage PostgreSql(string connectionString, PostgreSqlStorageOptions options) =>
        new(new NpgsqlConnectionFactory(connectionString, options), options);

    private static string ConnectionString(DatabaseProviders providers, JobsOptions options) =>
        string.IsNullOrWhiteSpace(options.StorageConnectionString) ? providers.CatalogConnectionString : options.StorageConnectionString;
}
