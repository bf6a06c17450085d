using System.Globalization;
using System.Security.Claims;
using AspService.Billing;
using AspService.Data.Identity;
using AspService.Server.Audit;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using AspService.Common;

namespace AspService.Server.Consoles;

/// <summary>
/// A page of the provider's operator console (outside every tenant; decision 0095). The operator cookie (password +
/// TOTP, security stamp checked) is required, as on the operator API. Signed out: a GET goes to the operator sign-in
/// page and comes back afterwards; other methods get 401. Still holding the one-time CLI password (decision 0066):
/// every page but the password page sends the operator there first.
/// </summary>
public abstract class OperatorPageModel : PageModel
{
    public OperatorUser Me { get; private set; } = null!;

    /// <summary>The signed-in operator as the use cases take them.</summary>
    public Actor Actor => new(Me.Id, HttpContext.Connection.RemoteIpAddress?.ToString());

    /// <summary>Only the password page is reachable before the one-time password is replaced.</summary>
    protected virtual bool AllowsTemporaryPassword => false;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        // Explicitly the operator scheme: never a tenant session, whatever the default scheme becomes.
        var result = await HttpContext.AuthenticateAsync(OperatorAuth.Scheme);
        var principal = result.Succeeded ? result.Principal : null;
        var users = HttpContext.RequestServices.GetRequiredService<UserManager<OperatorUser>>();
        var me = principal?.IsInRole("Operator") == true && principal.FindFirstValue(ClaimTypes.NameIdentifier) is { } id
            ? await users.FindByIdAsync(id) : null;
        if (me is null || me.SecurityStamp != principal!.FindFirstValue("stamp"))
        {
            context.Result = HttpMethods.IsGet(Request.Method)
                ? Redirect(OperatorConsoleRedirect.SignInUrl(Request))
                : new StatusCodeResult(StatusCodes.Status401Unauthorized);
            return;
        }

        HttpContext.User = principal!;
        if (OperatorPasswordGateHandler.Pending(principal) && !AllowsTemporaryPassword)
        {
            context.Result = HttpMethods.IsGet(Request.Method)
                ? Redirect(OperatorConsoleRedirect.PasswordPath)
                : new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }

        Me = me;
        await next();
    }

    private IStringLocalizer<ConsoleText> Text => HttpContext.RequestServices.GetRequiredService<IStringLocalizer<ConsoleText>>();

    /// <summary>Whole yen as people read it: 12,345円.</summary>
    public string Yen(long amount) => Text["ops.yen", amount.ToString("#,0", CultureInfo.InvariantCulture)];

    /// <summary>A billing month with its fiscal year (年度, April–March): 2026年11月（2026年度）.</summary>
    public string MonthLabel(BillingMonth month) => Text["ops.month", month.Year, month.Month, month.FiscalYear];

    /// <summary>A moment in JST: 2026年11月26日 12:00.</summary>
    public string When(DateTimeOffset moment) => Text["ops.when", Jst.ToJst(moment).DateTime];

    /// <summary>A date: 2026年11月26日.</summary>
    public string Day(DateOnly day) => Text["ops.day", day.ToDateTime(TimeOnly.MinValue)];

    /// <summary>
    /// A use case's refusal onto the form: every field error of the failure (API field names mapped to the page's
    /// field ids by lower-casing), or its title on <paramref name="fallbackField"/>.
    /// </summary>
    protected static void AddFailure(FormErrors errors, Failure failure, string fallbackField)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(failure);
        if (failure.Fields is { Count: > 0 } byField)
        {
            foreach (var (field, messages) in byField)
            {
                errors.Add(field.ToLowerInvariant(), string.Join(" ", messages));
            }

            return;
        }

        errors.Add(fallbackField, failure.Title);
    }

    /// <summary>One message for a failure: <paramref name="field"/>'s own first, else any field's, else the title.</summary>
    protected static string Message(Failure failure, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.MessageFor(field);
    }

    /// <summary>Whether the signed-in operator is an administrator (changes that need the flag elsewhere).</summary>
    public bool IsAdministrator => User.HasClaim(OperatorAuth.AdminClaim, "true");
}
