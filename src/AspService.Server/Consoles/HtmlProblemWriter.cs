using System.Net;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace AspService.Server.Consoles;

/// <summary>
/// A person's browser gets an HTML error page (in the request's language) where an API client gets problem+json:
/// the tenant refusals (unknown code, suspended, provisioning), 401/403/404, unhandled 500s. API paths
/// (<c>/api/</c>) and clients that do not ask for HTML keep problem+json.
/// </summary>
public sealed class HtmlProblemWriter(IStringLocalizer<ConsoleText> text, IFileVersionProvider versions) : IProblemDetailsWriter
{
    private static readonly string[] Known =
        ["tenant_not_found", "tenant_suspended", "tenant_closing", "tenant_provisioning"];

    public bool CanWrite(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.HttpContext.Request;
        return WantsHtml(request) && !(request.PathBase + request.Path).Value!.Contains("/api/", StringComparison.OrdinalIgnoreCase);
    }

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        var key = PageKey(context.ProblemDetails.Type, status);
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        return new ValueTask(http.Response.WriteAsync(Render(http, key, status), http.RequestAborted));
    }

    internal static bool WantsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>The vocabulary key of the page: the tenant refusals by problem type, the rest by status.</summary>
    internal static string PageKey(string? type, int status)
    {
        var slug = type?[(type.LastIndexOf('/') + 1)..].Replace('-', '_');
        if (slug is not null && Known.Contains(slug))
        {
            return slug;
        }

        return status switch
        {
            400 or 401 or 403 or 404 or 429 or 503 => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ when status >= 500 => "500",
            _ => "400",
        };
    }

    private string Render(HttpContext http, string key, int status)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var lang = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "ja";
        var css = versions.AddFileVersionToPath(http.Request.PathBase, "/assets/console/console.css");
        var home = http.Request.PathBase.HasValue ? http.Request.PathBase + "/" : "/";
        var heading = text["error." + key + ".h"];
        return $"""
            <!DOCTYPE html>
            <html lang="{lang}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(heading)} | {E(text["app.name"])}</title>
            <link rel="stylesheet" href="{E(http.Request.PathBase + css)}"></head>
            <body>
            <a class="skip-link" href="#main">{E(text["layout.skip"])}</a>
            <header class="site-header"><div class="wrap"><span class="brand">{E(text["app.name"])}</span></div></header>
            <main id="main" class="wrap" tabindex="-1">
            <h1>{E(heading)}</h1>
            <p>{E(text["error." + key + ".p"])}</p>
            <p class="muted">{E(text["error.code", status])}</p>
            <p><a href="{E(home)}">{E(text["error.home"])}</a></p>
            </main>
            </body>
            </html>
            """;
    }
}
