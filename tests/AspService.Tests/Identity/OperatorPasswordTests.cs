using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Identity;
using AspService.Server.Cli;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Identity;

/// <summary>The one-time password of <c>operators create</c>: expires, and must be replaced before anything else works.</summary>
public sealed class OperatorPasswordTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task OneTimePassword_OnlyMeAndPasswordChangeAnswer_UntilChanged_ThenTheNewPasswordSignsIn()
    {
        var (email, oneTime) = await CreateAsync();
        var client = await SignInAsync(email, oneTime);

        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/ops/me");
        Assert.True(me.GetProperty("passwordChangeRequired").GetBoolean());
        await HttpAssert.ProblemAsync(await client.GetAsync("/api/v1/ops/tenants"), HttpStatusCode.Forbidden, "password-change-required");

        var weak = await client.PostAsJsonAsync("/api/v1/ops/me/password", new { currentPassword = oneTime, newPassword = "password2026" });
        Assert.NotEmpty(HttpAssert.FieldErrors(await HttpAssert.ProblemAsync(weak, HttpStatusCode.BadRequest), "newPassword"));
        var wrongCurrent = await client.PostAsJsonAsync("/api/v1/ops/me/password", new { currentPassword = "not-the-password-1", newPassword = "Unyou-Tantou-Hikari-77" });
        Assert.NotEmpty(HttpAssert.FieldErrors(await HttpAssert.ProblemAsync(wrongCurrent, HttpStatusCode.BadRequest), "currentPassword"));

        var changed = await client.PostAsJsonAsync("/api/v1/ops/me/password", new { currentPassword = oneTime, newPassword = "Unyou-Tantou-Hikari-77" });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.False((await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("passwordChangeRequired").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/ops/tenants")).StatusCode);
        var oldPassword = await _app.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = oneTime });
        await HttpAssert.ProblemAsync(oldPassword, HttpStatusCode.Unauthorized, "signin-failed");
        var newPassword = await _app.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = "Unyou-Tantou-Hikari-77" });
        Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);
    }

    [Fact]
    public async Task OneTimePassword_Expires_AndResetPasswordIssuesAFreshOne()
    {
        var (email, oneTime) = await CreateAsync();
        _app.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));

        var expired = await _app.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = oneTime });
        await HttpAssert.ProblemAsync(expired, HttpStatusCode.Forbidden, "password-expired");

        var output = new StringWriter();
        Assert.Equal(0, await ServerCommands.RunAsync(["operators", "reset-password", "--email", email], _app.Services, output, new StringWriter()));
        var fresh = OneTimePasswordOf(output);
        var login = await _app.ClientFor().PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password = fresh });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task OperatorWithOwnPassword_ChangesItLater()
    {
        var client = await _app.OperatorClientAsync();

        var changed = await client.PostAsJsonAsync("/api/v1/ops/me/password", new { currentPassword = AppFactory.OperatorPassword, newPassword = "Another-Operator-Pass-99" });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/ops/tenants")).StatusCode);
    }

    private async Task<(string Email, string Password)> CreateAsync()
    {
        var email = $"cli-{Guid.NewGuid():N}"[..14] + "@provider.example";
        var output = new StringWriter();
        Assert.Equal(0, await ServerCommands.RunAsync(["operators", "create", "--email", email], _app.Services, output, new StringWriter()));
        Assert.Contains("expires", output.ToString(), StringComparison.Ordinal);
        var password = OneTimePasswordOf(output);
        _app.Log.Secret(password);
        return (email, password);
    }

    private static string OneTimePasswordOf(StringWriter output) =>
        output.ToString().Split('\n').Single(l => l.Contains("one-time password:", StringComparison.Ordinal)).Split(": ")[1].Trim();

    private async Task<HttpClient> SignInAsync(string email, string password)
    {
        var client = _app.ClientFor();
        (await client.PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password })).EnsureSuccessStatusCode();
        var enroll = await client.PostAsync("/api/v1/ops/auth/totp/enroll", null);
        var secret = Base32.Decode((await enroll.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
        _app.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        var verify = await client.PostAsJsonAsync("/api/v1/ops/auth/totp", new { code = Totp.Compute(secret, Totp.StepAt(_app.Clock.GetUtcNow())) });
        verify.EnsureSuccessStatusCode();
        return client;
    }
}
