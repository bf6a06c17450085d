using System.Security.Claims;
using AspService.Data.Identity;
using AspService.Data.Tenancy;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AspService.Server.Consoles;

/// <summary>
/// A page for a signed-in member of the request's tenant. Anyone else is sent to sign-in and brought back
/// to the page afterwards (GET), or refused (other methods).
/// </summary>
[TenantScoped]
public abstract class TenantPageModel : PageModel
{
    public TenantUser Me { get; private set; } = null!;

    public TenantBinding Tenant => HttpContext.RequestServices.GetRequiredService<TenantAccessor>().Required;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var users = HttpContext.RequestServices.GetRequiredService<UserManager<TenantUser>>();
        var me = User.Identity?.IsAuthenticated == true && User.FindFirstValue(ClaimTypes.NameIdentifier) is not null
            ? await users.GetUserAsync(User) : null;
        if (me is null)
        {
            context.Result = HttpMethods.IsGet(Request.Method)
                ? Redirect(SignInUrl(Request))
                : new StatusCodeResult(StatusCodes.Status401Unauthorized);
            return;
        }

        if (!Allows(User))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }

        Me = me;
        await next();
    }

    /// <summary>Whether this signed-in member may use the page (every member by default).</summary>
    protected virtual bool Allows(ClaimsPrincipal user) => true;

    /// <summary>The sign-in page of this tenant, returning to the current page (path and query, never another host).</summary>
    public static string SignInUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var back = request.Path + request.QueryString;
        return request.PathBase + "/sign-in?returnUrl=" + Uri.EscapeDataString(back.ToString());
    }
}
