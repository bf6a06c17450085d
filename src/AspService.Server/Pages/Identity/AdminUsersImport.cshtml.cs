using AspService.Server.Hosting;
using AspService.Server.Audit;
using AspService.Server.Consoles;
using AspService.Server.Identity;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Pages.Identity;

/// <summary>
/// Staff import from a personnel system's CSV (UTF-8 or Windows-31J/CP932, as Excel writes it): "check only" shows
/// what would happen, "import" writes a clean file in one go; problems are listed by line and nothing is written.
/// </summary>
public sealed class AdminUsersImportModel(StaffImport import, IStringLocalizer<ConsoleText> text) : AdminPageModel
{
    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public bool DryRun { get; set; }

    public StaffImport.Outcome? Result { get; private set; }

    public FormErrors Errors { get; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Upload is null || Upload.Length == 0)
        {
            Errors.Add("file", text["users.import.nofile"]);
            return Page();
        }

        if (Upload.Length > StaffImport.MaxBytes)
        {
            Errors.Add("file", text["users.import.toolarge", StaffImport.MaxBytes / 1024 / 1024]);
            return Page();
        }

        using var buffer = new MemoryStream();
        await Upload.CopyToAsync(buffer, HttpContext.RequestAborted);
        Result = await import.RunAsync(buffer.ToArray(), DryRun, new Actor(Me.Id, HttpActor.Client(HttpContext)), HttpContext.RequestAborted);
        if (Result.TooLarge)
        {
            Errors.Add("file", text["users.import.toolarge", StaffImport.MaxBytes / 1024 / 1024]);
        }
        else if (!Result.Succeeded)
        {
            Errors.Add("file", text["users.import.invalid", Result.Problems.Count]);
        }

        return Page();
    }
}
