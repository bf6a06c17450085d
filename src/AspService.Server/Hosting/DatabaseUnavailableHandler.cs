using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace AspService.Server.Hosting;

/// <summary>
/// A request that meets the database down, restarting or failing over (a transient error of the provider, also when
/// EF wraps it) answers 503 database_unavailable with Retry-After instead of a 500: nothing the client sent was wrong,
/// and trying again shortly will work. The PostgreSQL pools are emptied so the retry opens fresh connections instead
/// of meeting the next one that died with the server.
/// </summary>
public sealed class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!IsDatabaseUnavailable(exception))
        {
            return false;
        }

        if (Causes(exception).Any(e => e is Npgsql.NpgsqlException))
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
        }

        logger.LogWarning("Database unavailable; answered 503 ({Error})", Causes(exception).OfType<DbException>().First().GetType().Name);
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Problems.Of(StatusCodes.Status503ServiceUnavailable, "database_unavailable").ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>A transient provider error anywhere in the chain (EF wraps it in DbUpdateException or InvalidOperationException).</summary>
    public static bool IsDatabaseUnavailable(Exception exception) => Causes(exception).Any(e => e is DbException { IsTransient: true });

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
