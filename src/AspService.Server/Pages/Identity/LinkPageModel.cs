using AspService.Server.Hosting;
using AspService.Common;
using AspService.Data.Identity;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AspService.Server.Pages.Identity;

/// <summary>
/// What the pages behind a mailed link share (invitation, password reset; built by <see cref="TenantLinks"/>): the
/// token from the address, the new password, the address the link is for, and how a refused password reads. The
/// token is never logged.
/// </summary>
public abstract class LinkPageModel(TenantSignInFlow flow, TenantLinks links, LinkPurpose purpose) : PageModel
{
    public FormErrors Errors { get; } = new();

    /// <summary>The address the link is for (shown, and given to password managers as the user name); null when the link is dead.</summary>
    public string? Email { get; protected set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    protected TenantSignInFlow Flow => flow;

    /// <summary>Whether the link is alive (unused, unexpired, this tenant's); sets <see cref="Email"/>.</summary>
    protected async Task<bool> FindAsync(CancellationToken ct)
    {
        Email = (await links.FindAsync(Token, purpose, ct))?.User.Email;
        return Email is not null;
    }

    /// <summary>Sets the password through the link (<see cref="TenantSignInFlow"/>, the same step as the API).</summary>
    protected Task<Outcome<TenantSignInFlow.LoginResponse>> SetPasswordAsync(CancellationToken ct)
    {
        var request = new TenantSignInFlow.LinkPasswordRequest(Token, Password);
        var client = HttpActor.Client(HttpContext);
        return purpose == LinkPurpose.Invitation
            ? flow.AcceptInvitationAsync(request, client, ct)
            : flow.ResetPasswordAsync(request, client, ct);
    }

    /// <summary>The link itself was refused (used meanwhile), as opposed to the password.</summary>
    protected static bool LinkRefused(Failure failure) =>
        failure?.Status == StatusCodes.Status400BadRequest && failure.Fields?.ContainsKey("token") == true;

    protected void PasswordRefused(Failure failure) => Errors.Add("password", failure?.MessageFor("password") ?? "");
}
