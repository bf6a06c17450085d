using AspService.Server.Consoles;
using Microsoft.AspNetCore.Mvc;

namespace AspService.Server.Pages.Tokens;

/// <summary>After Approve or Deny (post/redirect/get): what happened and what to do next. Shows only.</summary>
public sealed class DoneModel : TenantPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Result { get; set; }

    public bool Approved => Result == "approved";

    public void OnGet()
    {
    }
}
