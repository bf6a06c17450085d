using AspService.Server.Consoles;

namespace AspService.Server.Pages.Consoles;

/// <summary>The staff member's start page.</summary>
public sealed class StaffHomeModel : TenantPageModel
{
    public void OnGet()
    {
    }
}
