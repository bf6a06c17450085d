using AspService.Server.Consoles;
using AspService.Server.Terminals;

namespace AspService.Server.Pages.Terminals;

/// <summary>The staff member's own home devices and the office computers assigned to them.</summary>
public sealed class MineModel(TerminalRegistry registry) : TenantPageModel
{
    public TerminalRegistry.MyTerminals Terminals { get; private set; } = new([], []);

    public async Task OnGetAsync() => Terminals = await registry.MineAsync(Me.Id, HttpContext.RequestAborted);
}
