using System.Net;
using System.Net.Http.Json;
using AspService.Server.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Identity;

/// <summary>
/// A city hall's shared address under password spraying: the address is refused for accounts tried from unknown
/// browsers, but a staff member at a browser where their account has signed in before still gets in (device cookie);
/// and the sprayer's failures on an account never make that account's honest sign-in fail mid-way.
/// </summary>
public sealed class SprayedAddressSignInTests
{
    private static AppFactory App(int failuresPerMinute) => new(settings: new()
    {
        ["RateLimits:AuthPerClientPerMinute"] = "100000",
        ["RateLimits:AuthPerAccountPerMinute"] = "100000",
        ["RateLimits:AuthPerTenantPerMinute"] = "100000",
        ["RateLimits:FailedSignInsPerTenantPerMinute"] = failuresPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    [Fact]
    public async Task SprayedAddress_RefusesUnknownBrowsers_ButAKnownBrowserSignsItsOwnAccountIn()
    {
        using var app = App(failuresPerMinute: 5);
        var admin = await app.TenantAdminAsync();
        var (staff, _) = await app.InviteAndSignInAsync(admin);
        Assert.True(staff.Cookies.Values.ContainsKey(KnownBrowser.CookieName), "a full sign-in marks the browser as known");

        var (sprayer, _) = app.NewClient();
        for (var i = 0; i < 5; i++)
        {
            var miss = await sprayer.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = $"guess{i}@{admin.Tenant.Code}.lg.example", password = "Spring-2026!" });
            Assert.Equal(HttpStatusCode.Unauthorized, miss.StatusCode);
        }

        // The address is now refused for the sprayer and any browser that does not know the account...
        await HttpAssert.ProblemAsync(await sprayer.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = staff.Email, password = staff.Password }), HttpStatusCode.TooManyRequests, "signin-throttled");
        var (stranger, _) = app.NewClient();
        await HttpAssert.ProblemAsync(await stranger.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = staff.Email, password = staff.Password }), HttpStatusCode.TooManyRequests, "signin-throttled");

        // ...but the staff member's own browser (signed out, its known-browser cookie kept) signs in with password + TOTP.
        var (own, jar) = app.NewClient();
        jar.Values[KnownBrowser.CookieName] = staff.Cookies.Values[KnownBrowser.CookieName];
        Assert.Equal(HttpStatusCode.OK, (await own.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = staff.Email, password = staff.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await own.PostAsJsonAsync(admin.Url("/api/v1/auth/totp"), new { code = app.NextCode(staff.Secret) })).StatusCode);

        // The cookie names one account: trying another from that browser is refused like any stranger.
        var (borrowed, borrowedJar) = app.NewClient();
        borrowedJar.Values[KnownBrowser.CookieName] = staff.Cookies.Values[KnownBrowser.CookieName];
        await HttpAssert.ProblemAsync(await borrowed.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = admin.Email, password = admin.Password }), HttpStatusCode.TooManyRequests, "signin-throttled");

        // A forged cookie is worth nothing.
        var (forged, forgedJar) = app.NewClient();
        forgedJar.Values[KnownBrowser.CookieName] = "CfDJ8" + new string('A', 120);
        await HttpAssert.ProblemAsync(await forged.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = staff.Email, password = staff.Password }), HttpStatusCode.TooManyRequests, "signin-throttled");
    }

    [Fact]
    public void KnownBrowserCookie_IsForOneTenant_AndExpires()
    {
        var tenant = Guid.NewGuid();
        var user = Guid.NewGuid();
        var issued = DateTimeOffset.Parse("2026-04-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var payload = $"{tenant:N}|{user:N}|{issued.ToUnixTimeSeconds()}";

        Assert.Equal(user, KnownBrowser.Parse(payload, tenant, issued.AddDays(89)));
        Assert.Null(KnownBrowser.Parse(payload, Guid.NewGuid(), issued.AddDays(1)));
        Assert.Null(KnownBrowser.Parse(payload, tenant, issued + KnownBrowser.Lifetime));
        Assert.Null(KnownBrowser.Parse($"{tenant:N}|{user:N}", tenant, issued));
    }

    [Fact]
    public async Task OneCode_SentFromTwoBrowsersAtOnce_SignsInOnce_TheOtherIsAReplay_NeverAConflict()
    {
        using var app = App(failuresPerMinute: 100000);
        var admin = await app.TenantAdminAsync();
        var (staff, _) = await app.InviteAndSignInAsync(admin);
        var wrong = new List<string>();

        for (var round = 0; round < 10; round++)
        {
            // The same person at their PC and their phone, both past the password, send the same code at once: both
            // race on the account's row (last used step). One signs in; the other's code is a replay.
            var browsers = new List<HttpClient>();
            for (var i = 0; i < 2; i++)
            {
                var (client, _) = app.NewClient();
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(staff.Url("/api/v1/auth/login"), new { email = staff.Email, password = staff.Password })).StatusCode);
                browsers.Add(client);
            }

            var code = app.NextCode(staff.Secret);
            var answers = await Task.WhenAll(browsers.Select(b => b.PostAsJsonAsync(staff.Url("/api/v1/auth/totp"), new { code })));
            var statuses = answers.Select(a => a.StatusCode).Order().ToList();
            if (statuses is not [HttpStatusCode.OK, HttpStatusCode.BadRequest])
            {
                wrong.Add($"round {round}: " + string.Join(", ", await Task.WhenAll(answers.Select(async a => (int)a.StatusCode + " " + await a.Content.ReadAsStringAsync()))));
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
