using System.Net;
using System.Net.Http.Json;
using AspService.Server.Audit;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Identity;

/// <summary>
/// Wrong passwords for one account sent in parallel (a sprayer's burst, or a user mashing the button): each is
/// counted and answered 401 or 403 locked — never 409 or 500 because two requests raced on the account's row — and
/// the account locks at the limit, so parallelism cannot buy a sprayer more attempts than the lockout allows.
/// </summary>
public sealed class ConcurrentSignInFailureTests
{
    [Fact]
    public async Task ParallelWrongPasswords_OnOneAccount_AllCounted_Answered401Or403_AndTheAccountLocks()
    {
        using var app = new AppFactory(settings: new()
        {
            ["RateLimits:AuthPerClientPerMinute"] = "100000",
            ["RateLimits:AuthPerAccountPerMinute"] = "100000",
            ["RateLimits:AuthPerTenantPerMinute"] = "100000",
            ["RateLimits:FailedSignInsPerTenantPerMinute"] = "100000",
        });
        var admin = await app.TenantAdminAsync();
        const int Attempts = 12;

        var answers = await Task.WhenAll(Enumerable.Range(0, Attempts).Select(async i =>
        {
            var (client, _) = app.NewClient();
            var r = await client.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = admin.Email, password = "wrong-" + i });
            return (r.StatusCode, Body: await r.Content.ReadAsStringAsync());
        }));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{(int)a.StatusCode}: {a.Body}"));
        var actions = await app.AuditActionsAsync(admin.Tenant);
        Assert.Equal(Attempts, actions.Count(a => a == AuditActions.SignInFailed));
        Assert.Contains(AuditActions.LockedOut, actions);

        // Locked: even the right password is refused now.
        var (fresh, _) = app.NewClient();
        var right = await fresh.PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = admin.Email, password = admin.Password });
        await HttpAssert.ProblemAsync(right, HttpStatusCode.Forbidden, "locked-out");
    }
}
