using AspService.Server.Audit;
using AspService.Server.Policy;
using AspService.Server.Consoles;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Sessions;
using AspService.Server.Terminals;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AspService.Server.Pages.Terminals;

/// <summary>
/// 「自宅 PC の準備と接続」: where to get aspagent, a one-time token for this staff member's own home PC (when the
/// policy allows self-registration) with the exact install command, and how a connection goes.
/// </summary>
public sealed class AgentModel(EnrollmentTokens tokens, PolicyStore policies, PublicAddress address, IOptions<AgentDownloadOptions> downloads) : TenantPageModel
{
    [BindProperty]
    public string? Name { get; set; }

    public bool SelfRegistration { get; private set; }

    public bool RequiresApproval { get; private set; }

    /// <summary>The token just issued (shown once, in the answer to the POST only).</summary>
    public CreatedTokenDto? Issued { get; private set; }

    public FormErrors Errors { get; } = new();

    public AgentDownloadOptions Downloads => downloads.Value;

    /// <summary>What the agent's <c>--server</c> takes: this tenant's public root.</summary>
    public string ServerUrl => address.TenantRoot(Tenant.Code);

    public async Task OnGetAsync() => await ReadPolicyAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await ReadPolicyAsync();
        var result = await tokens.CreateForSelfAsync(new EnrollmentTokens.SelfRequest(null, string.IsNullOrWhiteSpace(Name) ? null : Name),
            new Actor(Me.Id, HttpActor.Client(HttpContext)), HttpContext.RequestAborted);
        Issued = result.Value;
        if (result.Failure is { } failure)
        {
            Errors.Add("name", failure.Fields?.GetValueOrDefault("name")?.FirstOrDefault() ?? failure.Title);
            return Page();
        }

        // A secret on the page: never kept by a cache or offered again by the back button.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    private async Task ReadPolicyAsync()
    {
        var policy = await policies.CurrentAsync(HttpContext.RequestAborted);
        SelfRegistration = policy.AllowHomeSelfRegistration;
        RequiresApproval = policy.HomeRegistrationRequiresApproval;
    }
}
