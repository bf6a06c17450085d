using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Localization;

namespace AspService.Server.Consoles;

/// <summary>The server-rendered consoles: Razor Pages (folder Pages/, by feature), one vocabulary, HTML error pages.</summary>
public static class ConsoleRegistration
{
    /// <summary>Outside a tenant; inside one it is <c>/t/{code}/language</c> (one route pattern cannot serve both).</summary>
    public const string LanguagePath = "/console/language";
    public const string TenantLanguagePath = "/language";

    public static IServiceCollection AddConsoles(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddOptions<AgentDownloadOptions>().BindConfiguration(AgentDownloadOptions.Section)
            .Validate(AgentDownloadOptions.IsValid, "AgentDownload:BaseUrl must be an absolute http(s) URL").ValidateOnStart();
        // Japanese stays readable in the HTML (not &#x...; entities); HTML-significant characters are still encoded.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o => o.Conventions.Add(new ConsolePageConvention()));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "asp.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // First in line, ahead of the JSON writer that AddProblemDetails registers: browsers asking for HTML get a page.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, HtmlProblemWriter>());
        return services;
    }

    public static IEndpointRouteBuilder MapConsoles(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        // The same switch inside a tenant and outside one (the tenant guard keeps the two apart).
        app.MapPost(TenantLanguagePath, SetLanguageAsync).WithMetadata(new TenantScopedAttribute()).ExcludeFromDescription();
        app.MapPost(LanguagePath, SetLanguageAsync).ExcludeFromDescription();
        return app;
    }

    /// <summary>POST (antiforgery): remember the language in a cookie, back to the page (local paths only).</summary>
    private static async Task<IResult> SetLanguageAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!http.Request.HasFormContentType)
        {
            return TypedResults.BadRequest();
        }

        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return TypedResults.BadRequest();
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var culture = form["culture"].ToString() == "en" ? "en" : "ja-JP";
        http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Path = "/", MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
        var back = form["returnUrl"].ToString();
        return TypedResults.LocalRedirect(IsLocal(back) ? back : "/");
    }

    /// <summary>A path on this site: "/x", never "//host" or "/\host".</summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
