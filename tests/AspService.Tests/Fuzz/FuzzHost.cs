using AspService.Tests.Consoles;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Relay;

namespace AspService.Tests.Fuzz;

/// <summary>
/// One real host over Kestrel (web listener + the relay's agent listener, real TLS on loopback) with its Error log
/// captured, and two onboarded tenants: A with an admin, a staff member, an office PC and a home device; B with an admin.
/// </summary>
public sealed class FuzzHost : IAsyncLifetime
{
    public CapturedLog Log => App.Log;

    public AppFactory App { get; }

    public RelayScenario A { get; private set; } = null!;

    public TenantSession OtherAdmin { get; private set; } = null!;

    public HttpClient Operator { get; private set; } = null!;

    /// <summary>The operator's session cookies (kept by hand so they can be replayed on tenant paths).</summary>
    public CookieJar OperatorCookies { get; } = new();

    public FuzzHost()
    {
        // A webhook secret, so the Stripe webhook checks signatures instead of answering 503 "not configured".
        App = new AppFactory(kestrel: true, settings: new() { ["Billing:Stripe:WebhookSecret"] = "whsec_fuzz" });
    }

    public async Task InitializeAsync()
    {
        Operator = await App.OperatorClientAsync(jar: OperatorCookies);
        A = await App.ScenarioAsync();
        OtherAdmin = await App.TenantAdminAsync(Operator);
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class FuzzGroup : ICollectionFixture<FuzzHost>
{
    public const string Name = "fuzz";
}
