namespace AspService.Server.Consoles;

/// <summary>
/// Every HTML answer (Razor consoles, error pages, the static consoles) gets a strict policy: scripts and styles
/// only from this origin's files (no inline code), no framing, no referrer (the device approval URL carries a code).
/// </summary>
public static class ConsoleSecurityHeaders
{
    public const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static IApplicationBuilder UseConsoleSecurityHeaders(this IApplicationBuilder app) => app.Use((ctx, next) =>
    {
        ctx.Response.OnStarting(() =>
        {
            if (ctx.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                var headers = ctx.Response.Headers;
                headers.ContentSecurityPolicy = Policy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
            }

            return Task.CompletedTask;
        });
        return next(ctx);
    });
}
