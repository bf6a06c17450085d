using System.ComponentModel.DataAnnotations;

namespace AspService.Data;

public enum DatabaseProvider
{
    SqlServer,
    PostgreSql,
    Sqlite,
}

/// <summary>Database settings (section <c>Database</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>SqlServer (production default), PostgreSql, or Sqlite (embedded default).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Catalog connection string. On SQLite, defaults to <c>{DataRoot}/catalog.db</c>.</summary>
    public string? Catalog { get; set; }

    /// <summary>
    /// Server connection string for tenant databases, without a database name (PostgreSQL, SQL Server).
    /// Each tenant's connection string is this plus the tenant's database name.
    /// </summary>
    public string? TenantServer { get; set; }

    /// <summary>Folder for SQLite files and other local state (exports, mail, keys).</summary>
    [Required]
    public string DataRoot { get; set; } = "data";

    /// <summary>Upper bound of pooled connections per tenant database: 1,794 tenants must fit one server.</summary>
    [Range(1, 100)]
    public int TenantMaxPoolSize { get; set; } = 4;

    /// <summary>Parallel databases touched at once by provisioning and migrate-all.</summary>
    [Range(1, 64)]
    public int MaxParallelism { get; set; } = 4;
}
