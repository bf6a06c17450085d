using Microsoft.Playwright;

namespace AspService.Tests.Consoles;

/// <summary>
/// Debian's chromium (<c>/usr/bin/chromium</c>, or <c>ASPSERVICE_CHROMIUM</c>) driven by Playwright for .NET: the
/// driver ships in the NuGet package; no browser is downloaded. Missing chromium fails the tests (never skips them).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string Variable = "ASPSERVICE_CHROMIUM";
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ExecutablePath => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"chromium not found at {ExecutablePath}: install Debian's chromium (apt-get install chromium) or set {Variable}");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser profile: phone-sized for staff pages by default, Japanese, test CA accepted.</summary>
    public Task<IBrowserContext> ContextAsync(int width = 390, int height = 844, string locale = "ja-JP") =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
            IgnoreHTTPSErrors = true,
            // Lets the test inject axe-core; the pages' own policy is asserted separately (ConsoleFoundationTests).
            BypassCSP = true,
        });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
