using AspService.Server.Identity;

namespace AspService.Server.Consoles;

/// <summary>
/// Where a person's browser goes when an operator-only page refuses it: signed out → the operator sign-in page,
/// signed in with a one-time password still to replace → the password page. Only GETs that accept HTML outside
/// <c>/api/</c>; everything else keeps its problem+json (null).
/// </summary>
public static class OperatorConsoleRedirect
{
    public const string SignInPath = "/ops/sign-in";
    public const string PasswordPath = "/ops/password";
    public const string HomePath = "/ops";

    public static Task? ToSignIn(HttpContext http) => ForPerson(http) ? Redirect(http, SignInUrl(http.Request)) : null;

    public static Task? ToPasswordChange(HttpContext http) =>
        ForPerson(http) && OperatorPasswordGateHandler.Pending(http.User) ? Redirect(http, PasswordPath) : null;

    /// <summary>The sign-in page, returning to the current page (path and query on this site only).</summary>
    public static string SignInUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var back = (request.PathBase + request.Path + request.QueryString).ToString();
        return SignInPath + "?returnUrl=" + Uri.EscapeDataString(back);
    }

    private static bool ForPerson(HttpContext http) =>
        (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        && HtmlProblemWriter.WantsHtml(http.Request)
        && !(http.Request.PathBase + http.Request.Path).Value!.Contains("/api/", StringComparison.OrdinalIgnoreCase);

    private static Task Redirect(HttpContext http, string location)
    {
        http.Response.Redirect(location);
        return Task.CompletedTask;
    }
}
