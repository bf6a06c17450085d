using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using AspService.Server.Tokens;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Tokens;

/// <summary>
/// Where <c>aspagent connect</c> sends the staff member (OpenIddict's end-user verification endpoint, pass-through).
/// GET only shows (the code from the link, or a form to type it); Approve and Deny are POSTs with antiforgery
/// by a signed-in member of this tenant. A code that was approved or denied is refused, never replayed.
/// </summary>
[EnableRateLimiting(RateLimitPolicies.Auth)]
public sealed class VerifyModel(DeviceFlowHandler flows, IStringLocalizer<ConsoleText> text) : TenantPageModel
{
    [BindProperty(SupportsGet = true, Name = "user_code")]
    public string? UserCode { get; set; }

    public DeviceFlowHandler.DeviceRequest? Device { get; private set; }

    public FormErrors Errors { get; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        if (string.IsNullOrWhiteSpace(UserCode))
        {
            return Page();
        }

        // Typed with full-width characters, spaces or hyphens: show the page for the plain code.
        var code = Normalize.UserCode(UserCode);
        if (code != UserCode)
        {
            return LocalRedirect(Request.PathBase + Request.Path + "?user_code=" + Uri.EscapeDataString(code));
        }

        return await ShowAsync(code);
    }

    public Task<IActionResult> OnPostApproveAsync() => DecideAsync(approve: true);

    public Task<IActionResult> OnPostDenyAsync() => DecideAsync(approve: false);

    private async Task<IActionResult> DecideAsync(bool approve)
    {
        var code = Normalize.UserCode(UserCode);
        Device = await flows.FindAsync(HttpContext, code);
        if (Device is null)
        {
            return Invalid();
        }

        if (approve)
        {
            if (!await flows.ApproveAsync(HttpContext, Me, Device))
            {
                return Forbid();
            }

            return LocalRedirect(Request.PathBase + "/connect/done?result=approved");
        }

        await flows.DenyAsync(HttpContext, Me, Device);
        return LocalRedirect(Request.PathBase + "/connect/done?result=denied");
    }

    private async Task<IActionResult> ShowAsync(string code)
    {
        Device = await flows.FindAsync(HttpContext, code);
        return Device is null ? Invalid() : Page();
    }

    private PageResult Invalid()
    {
        Errors.Add("user_code", text["verify.invalid"]);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
