using AspService.Server.Hosting;
using AspService.Server.Audit;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using AspService.Server.Terminals;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Terminals;

/// <summary>
/// Office and home terminals for an administrator: online state, certificate, last contact; an enrollment token is
/// issued here and shown once (in the answer to the POST itself, never stored in a cookie or redirected); revoking a
/// terminal's certificates asks for confirmation and says what follows. Another tenant's id is simply not found.
/// </summary>
public sealed class AdminTerminalsModel(TerminalRegistry registry, EnrollmentTokens tokens, TenantUsersAdmin users,
    IStringLocalizer<ConsoleText> text) : AdminPageModel
{
    [BindProperty]
    public string? Kind { get; set; } = "office";

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public Guid? OwnerUserId { get; set; }

    [BindProperty]
    public string? TtlMinutes { get; set; }

    public IReadOnlyList<TerminalDto> Terminals { get; private set; } = [];

    /// <summary>Every token (used, expired, revoked too) instead of the open ones: <c>?tokens=all</c>.</summary>
    public bool AllTokens { get; private set; }

    /// <summary>The open enrollment tokens, or every one when <see cref="AllTokens"/>.</summary>
    public IReadOnlyList<EnrollmentTokenDto> Tokens { get; private set; } = [];

    public IReadOnlyList<TenantUsersAdmin.UserDto> People { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> Owners { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>The token just issued: shown on this answer only.</summary>
    public CreatedTokenDto? Issued { get; private set; }

    /// <summary>The terminal whose revocation waits for confirmation.</summary>
    public TerminalDto? Revoking { get; private set; }

    public FormErrors Errors { get; } = new();

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostIssueAsync()
    {
        var ttl = TokenLifetime.Parse(TtlMinutes, Errors, text["terminals.admin.error.number"]);

        if (!Errors.Any)
        {
            var outcome = await tokens.IssueAsync(new EnrollmentTokens.CreateRequest(Kind, ttl, Name, null, Kind == "home" ? OwnerUserId : null), ActorNow(), HttpContext.RequestAborted);
            Issued = outcome.Token;
            foreach (var (field, messages) in outcome.Fields ?? new Dictionary<string, string[]>())
            {
                Errors.Add(field, messages[0]);
            }
        }

        // The secret must not be kept by a cache or the back button.
        Response.Headers.CacheControl = "no-store";
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(Guid token)
    {
        var result = await tokens.RevokeAsync(token, ActorNow(), HttpContext.RequestAborted);
        if (result == TokenRevocation.NotFound)
        {
            return NotFound();
        }

        TempData["notice"] = text[result == TokenRevocation.Revoked ? "terminals.admin.token.revoked" : "terminals.admin.token.used"].Value;
        return LocalRedirect(Request.PathBase + "/admin/terminals");
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid terminal, bool confirmed)
    {
        if (!confirmed)
        {
            await LoadAsync();
            Revoking = Terminals.FirstOrDefault(t => t.Id == terminal);
            return Revoking is null ? NotFound() : Page();
        }

        var revoked = await registry.RevokeAsync(terminal, ActorNow(), HttpContext.RequestAborted);
        if (revoked is null)
        {
            return NotFound();
        }

        TempData["notice"] = text["terminals.admin.revoked", revoked.Name].Value;
        return LocalRedirect(Request.PathBase + "/admin/terminals");
    }

    private Actor ActorNow() => new(Me.Id, HttpActor.Client(HttpContext));

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        Terminals = await registry.ListAllAsync(null, ct);
        AllTokens = string.Equals(Request.Query["tokens"], "all", StringComparison.Ordinal);
        Tokens = await tokens.ListAsync(openOnly: !AllTokens, ct);
        People = (await users.ListAsync(null, null, 0, 500, ct)).Items.Where(u => u.Status != "disabled").ToList();
        var owners = Terminals.Where(t => t.OwnerUserId is not null).Select(t => t.OwnerUserId!.Value).Distinct().ToList();
        var names = new Dictionary<Guid, string>();
        foreach (var id in owners)
        {
            if (People.FirstOrDefault(p => p.Id == id) is { } person)
            {
                names[id] = person.DisplayName;
            }
            else if (await users.GetAsync(id, ct) is { } other)
            {
                names[id] = other.DisplayName;
            }
        }

        Owners = names;
    }
}
