using System.Net;
using AspService.Server.Hosting;

namespace AspService.Server.Tokens;

/// <summary>
/// OAuth endpoints and bearer tokens need transport security. Plain HTTP is accepted only when both ends are this
/// machine (the embedded default on http://localhost, an agent on the same PC); anything else must arrive over
/// HTTPS — directly or, behind a trusted proxy, as X-Forwarded-Proto: https.
/// </summary>
public static class LoopbackOrHttpsMiddleware
{
    public static bool Allows(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.IsHttps)
        {
            return true;
        }

        var remote = context.Connection.RemoteIpAddress;
        // TestServer has no connection address; it never leaves the process.
        return remote is null || (IPAddress.IsLoopback(remote) && request.Host.Host is "localhost" or "127.0.0.1" or "[::1]");
    }

    public static IApplicationBuilder UseLoopbackOrHttpsForTokens(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        var protectedPath = path.StartsWithSegments("/connect") || path.StartsWithSegments("/.well-known")
            || context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        if (protectedPath && !Allows(context))
        {
            await Problems.Of(StatusCodes.Status400BadRequest, "https_required").ExecuteAsync(context);
            return;
        }

        await next(context);
    });
}
