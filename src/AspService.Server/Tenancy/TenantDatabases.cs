using System.Data.Common;
using AspService.Data;
using AspService.Data.Tenancy;
using AspService.Data.TenantData;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace AspService.Server.Tenancy;

/// <summary>
/// Creates, migrates and drops tenant databases. New databases are copied from a template that already
/// carries the current schema (a file copy on SQLite, <c>CREATE DATABASE … TEMPLATE</c> on PostgreSQL), so
/// onboarding all municipalities does not replay every migration 1,794 times. Migrations still run after
/// the copy, so a stale template can only cost time, never correctness.
/// </summary>
public sealed class TenantDatabases(DatabaseProviders providers, TenantDbContextFactory contexts, ILogger<TenantDatabases> logger)
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private string? _templateReady;
    private string? _latestMigration;

    // Server-level commands of provisioning reuse a few pooled connections instead of a new backend per tenant.
    private readonly Lazy<string> _pgAdminPooled = new(() => new NpgsqlConnectionStringBuilder(providers.ServerAdminConnectionString())
    {
        Pooling = true,
        MaxPoolSize = providers.Options.MaxParallelism + 2,
        ConnectionIdleLifetime = 30,
        ConnectionPruningInterval = 10,
    }.ToString());

    public DatabaseProvider Provider => providers.Provider;

    public async Task CreateAsync(TenantBinding tenant, CancellationToken ct)
    {
        switch (providers.Provider)
        {
            case DatabaseProvider.Sqlite:
                await CreateSqliteAsync(tenant, ct);
                break;
            case DatabaseProvider.PostgreSql:
                await CreatePostgresAsync(tenant.DatabaseName, ct);
                break;
            default:
                await CreateSqlServerAsync(tenant.DatabaseName, ct);
                break;
        }
    }

    /// <summary>Applies pending migrations; returns the last applied migration id.</summary>
    public async Task<string?> MigrateAsync(TenantBinding tenant, CancellationToken ct)
    {
        await using var db = contexts.CreateUnpooled(tenant);
        // One connection and one history query for the usual case (nothing pending after a template copy):
        // each open of an unpooled PostgreSQL connection starts a new server backend.
        await db.Database.OpenConnectionAsync(ct);
        var applied = await db.Database.GetAppliedMigrationsAsync(ct);
        if (db.Database.GetMigrations().Except(applied).Any())
        {
            await db.Database.MigrateAsync(ct);
            applied = await db.Database.GetAppliedMigrationsAsync(ct);
        }

        return applied.LastOrDefault();
    }

    public async Task<bool> ExistsAsync(string databaseName, CancellationToken ct)
    {
        DatabaseProviders.ValidateDatabaseName(databaseName);
        switch (providers.Provider)
        {
            case DatabaseProvider.Sqlite:
                return File.Exists(providers.SqliteTenantPath(databaseName));
            case DatabaseProvider.PostgreSql:
                await using (var conn = new NpgsqlConnection(providers.ServerAdminConnectionString()))
                {
                    await conn.OpenAsync(ct);
                    return await PgExistsAsync(conn, databaseName, ct);
                }

            default:
                await using (var conn = new SqlConnection(providers.ServerAdminConnectionString()))
                {
                    await conn.OpenAsync(ct);
                    await using var cmd = new SqlCommand("SELECT DB_ID(@n)", conn);
                    cmd.Parameters.AddWithValue("@n", databaseName);
                    return await cmd.ExecuteScalarAsync(ct) is not (null or DBNull);
                }
        }
    }

    public async Task DropAsync(string databaseName, CancellationToken ct)
    {
        DatabaseProviders.ValidateDatabaseName(databaseName);
        switch (providers.Provider)
        {
            case DatabaseProvider.Sqlite:
                SqliteConnection.ClearAllPools();
                var path = providers.SqliteTenantPath(databaseName);
                foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                {
                    File.Delete(file);
                }

                break;
            case DatabaseProvider.PostgreSql:
                NpgsqlConnection.ClearAllPools();
                await ExecAsync(new NpgsqlConnection(providers.ServerAdminConnectionString()),
                    $"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", ct);
                break;
            default:
                SqlConnection.ClearAllPools();
                await ExecAsync(new SqlConnection(providers.ServerAdminConnectionString()),
                    $"IF DB_ID(N'{databaseName}') IS NOT NULL BEGIN ALTER DATABASE [{databaseName}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{databaseName}]; END", ct);
                break;
        }
    }

    private async Task CreateSqliteAsync(TenantBinding tenant, CancellationToken ct)
    {
        var path = providers.SqliteTenantPath(tenant.DatabaseName);
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var template = await SqliteTemplateAsync(ct);
        // Copy then rename: a crash mid-copy leaves only a temp file, never a half database under the real name.
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.Copy(template, temp);
        File.Move(temp, path, overwrite: false);
    }

    private async Task<string> SqliteTemplateAsync(CancellationToken ct)
    {
        var version = LatestMigration();
        var path = Path.Combine(providers.DataRoot, "templates", $"tenant-{version}.db");
        if (_templateReady == path)
        {
            return path;
        }

        await TemplateLock.WaitAsync(ct);
        try
        {
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                var options = new DbContextOptionsBuilder<TenantDbContext>()
                    .UseSqlite(new SqliteConnectionStringBuilder { DataSource = temp, Pooling = false }.ToString(),
                        o => o.MigrationsAssembly(DatabaseProviders.SqliteMigrations))
                    .Options;
                await using (var db = new TenantDbContext(options, new TenantBinding(Guid.Empty, "000000", "template")))
                {
                    await db.Database.MigrateAsync(ct);
                    // Small pages and no WAL: the template is copied 1,794 times.
                    await db.Database.ExecuteSqlRawAsync("VACUUM", ct);
                }

                File.Move(temp, path, overwrite: true);
                logger.LogInformation("Tenant database template {Version} created", version);
            }

            _templateReady = path;
            return path;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private async Task CreatePostgresAsync(string databaseName, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(_pgAdminPooled.Value);
        await conn.OpenAsync(ct);
        if (await PgExistsAsync(conn, databaseName, ct))
        {
            return;
        }

        var template = await PostgresTemplateAsync(conn, ct);
        try
        {
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\" TEMPLATE \"{template}\"", conn);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created by an earlier, interrupted run of this step: that is the idempotent outcome.
        }
    }

    private async Task<string> PostgresTemplateAsync(NpgsqlConnection admin, CancellationToken ct)
    {
        var name = "aspsvc_tpl_" + StableHash(LatestMigration());
        if (_templateReady == name)
        {
            return name;
        }

        await TemplateLock.WaitAsync(ct);
        try
        {
            // Across processes, an advisory lock keeps two servers from building the same template.
            await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_lock(727001)", admin))
            {
                await lockCmd.ExecuteNonQueryAsync(ct);
            }

            try
            {
                if (!await PgExistsAsync(admin, name, ct))
                {
                    var building = name + "_build";
                    await ExecAsync(admin, $"DROP DATABASE IF EXISTS \"{building}\"", ct);
                    await ExecAsync(admin, $"CREATE DATABASE \"{building}\"", ct);
                    var options = new DbContextOptionsBuilder<TenantDbContext>()
                        .UseNpgsql(new NpgsqlConnectionStringBuilder(providers.ServerAdminConnectionString()) { Database = building, Pooling = false }.ToString(),
                            o => o.MigrationsAssembly(DatabaseProviders.PostgreSqlMigrations))
                        .Options;
                    await using (var db = new TenantDbContext(options, new TenantBinding(Guid.Empty, "000000", building)))
                    {
                        await db.Database.MigrateAsync(ct);
                    }

                    await ExecAsync(admin, $"ALTER DATABASE \"{building}\" RENAME TO \"{name}\"", ct);
                    await ExecAsync(admin, $"ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", ct);
                    logger.LogInformation("Tenant database template {Template} created", name);
                }
            }
            finally
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(727001)", admin);
                await unlock.ExecuteNonQueryAsync(ct);
            }

            _templateReady = name;
            return name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private async Task CreateSqlServerAsync(string databaseName, CancellationToken ct)
    {
        // SQL Server has no cheap per-database template; the migrate step builds the schema.
        await ExecAsync(new SqlConnection(providers.ServerAdminConnectionString()),
            $"IF DB_ID(N'{databaseName}') IS NULL CREATE DATABASE [{databaseName}]", ct);
    }

    /// <summary>The newest migration in this build; fixed for the life of the process, so computed once.</summary>
    private string LatestMigration()
    {
        if (_latestMigration is null)
        {
            using var db = contexts.CreateUnpooled(new TenantBinding(Guid.Empty, "000000", "template"));
            _latestMigration = db.GetService<IMigrationsAssembly>().Migrations.Keys.Max(StringComparer.Ordinal) ?? "none";
        }

        return _latestMigration;
    }

    private static async Task<bool> PgExistsAsync(NpgsqlConnection conn, string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", conn);
        cmd.Parameters.AddWithValue("n", name);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    private static async Task ExecAsync(DbConnection conn, string sql, CancellationToken ct)
    {
        var owned = conn.State != System.Data.ConnectionState.Open;
        if (owned)
        {
            await conn.OpenAsync(ct);
        }

        try
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            if (owned)
            {
                await conn.DisposeAsync();
            }
        }
    }

    private static string StableHash(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..12];
}
