using AspService.Data;

namespace AspService.Tests.Infrastructure;

/// <summary>A SQLite-backed server host shared by the tests of one class.</summary>
public sealed class SqliteHost : IDisposable
{
    public AppFactory App { get; } = new();

    public void Dispose() => App.Dispose();
}

/// <summary>Runs only where a SQL Server is given (<c>ASPSERVICE_TEST_SQLSERVER</c>); this machine has none.</summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string Variable = "ASPSERVICE_TEST_SQLSERVER";

    public SqlServerFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"needs a live SQL Server: set {Variable} to a server connection string";
        }
    }
}

public static class Providers
{
    public static DatabaseProviders Offline(DatabaseProvider provider) => new(new DatabaseOptions
    {
        Provider = provider,
        Catalog = provider == DatabaseProvider.Sqlite ? null : provider == DatabaseProvider.PostgreSql ? "Host=offline;Database=c" : "Server=offline;Database=c",
        TenantServer = provider == DatabaseProvider.PostgreSql ? "Host=offline" : "Server=offline",
        DataRoot = Path.GetTempPath(),
    });
}
