using System.Net;
using AspService.Server.Consoles;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Terminals;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Consoles;

/// <summary>
/// Every console page a tenant's people use, found by walking the endpoint data source (so a new page is covered
/// without a new test), requested under tenant B with tenant A's staff session and anonymously: never a page of
/// content, always the way to B's sign-in or a refusal, and nothing of A in any answer.
/// </summary>
public sealed class ConsoleCrossTenantTests(KestrelHost host) : IClassFixture<KestrelHost>
{
    private AppFactory App => host.App;

    [Fact]
    public async Task EveryTenantPage_UnderAnotherTenant_WithThisTenantsSession_ShowsNothingOfIt()
    {
        var a = await App.TenantAdminAsync();
        var (staff, staffId) = await App.InviteAndSignInAsync(a);
        var b = await App.TenantAdminAsync();
        using var web = App.CreateDefaultClient(App.WebAddress);
        var home = await TerminalKit.EnrollAsync(web, a.Tenant.Code, await a.TokenAsync("home", ownerUserId: staffId), "自宅PC-機密-A");

        var pages = TenantPageRoutes();
        Assert.NotEmpty(pages);
        // Plain clients over the real socket that show redirects instead of following them; one carries A's session.
        using var anonymous = NoRedirects();
        using var withA = NoRedirects();
        withA.DefaultRequestHeaders.Add("Cookie", string.Join("; ", staff.Cookies.Values.Select(v => v.Key + "=" + v.Value)));
        // The session is real: in its own tenant it opens the page and shows the device.
        Assert.Contains("自宅PC-機密-A", await withA.GetStringAsync(a.Url("/my/terminals")), StringComparison.Ordinal);
        foreach (var route in pages)
        {
            var path = "/" + route.Replace("{id:guid}", home.Id.ToString("D"), StringComparison.Ordinal);
            foreach (var (who, client) in new[] { ("A's staff", withA), ("anonymous", anonymous) })
            {
                using var response = await client.GetAsync(b.Url(path));
                var body = await response.Content.ReadAsStringAsync();
                var where = $"{who} GET {b.Url(path)} → {(int)response.StatusCode}";
                Assert.DoesNotContain("自宅PC-機密-A", body, StringComparison.Ordinal);
                Assert.DoesNotContain(staff.Email, body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(home.Id.ToString("D"), body, StringComparison.OrdinalIgnoreCase);
                var signIn = response.StatusCode == HttpStatusCode.Redirect
                    && response.Headers.Location!.OriginalString.Contains($"/t/{b.Tenant.Code}/sign-in", StringComparison.Ordinal);
                Assert.True(signIn || response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound, where);
            }
        }
    }

    private HttpClient NoRedirects() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = App.WebAddress };

    /// <summary>The route of every Razor page whose model lives inside a tenant.</summary>
    private List<string> TenantPageRoutes() =>
        [.. App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<CompiledPageActionDescriptor>()?.ModelTypeInfo?.IsSubclassOf(typeof(TenantPageModel)) == true)
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct()];
}
