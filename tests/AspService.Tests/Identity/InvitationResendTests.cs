using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Identity;

public sealed class InvitationResendTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task Resend_PendingUser_NewLinkWorks_OldLinkDead_AcceptedUser409()
    {
        var admin = await _app.TenantAdminAsync();
        var email = $"late-{Guid.NewGuid():N}"[..12] + "@" + admin.Tenant.Code + ".lg.example";
        var invite = await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/users"), new { email, displayName = "佐藤 次郎" });
        var id = (await invite.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var oldToken = _app.MailedToken(email, "invitation");
        _app.Clock.Advance(TimeSpan.FromSeconds(1));

        var resent = await admin.Client.PostAsync(admin.Url($"/api/v1/users/{id}/invitation"), null);
        var newToken = _app.MailedToken(email, "invitation");

        Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
        Assert.NotEqual(oldToken, newToken);
        var (client, _) = _app.NewClient();
        var withOld = await client.PostAsJsonAsync(admin.Url("/api/v1/auth/invitation/accept"), new { token = oldToken, password = TenantIdentityKit.GoodPassword });
        Assert.True(withOld.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Gone, withOld.StatusCode.ToString());
        var withNew = await client.PostAsJsonAsync(admin.Url("/api/v1/auth/invitation/accept"), new { token = newToken, password = TenantIdentityKit.GoodPassword });
        Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);

        var again = await admin.Client.PostAsync(admin.Url($"/api/v1/users/{id}/invitation"), null);
        await HttpAssert.ProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Resend_UserOfOtherTenant_404()
    {
        var a = await _app.TenantAdminAsync();
        var b = await _app.TenantAdminAsync();
        var invite = await a.Client.PostAsJsonAsync(a.Url("/api/v1/users"), new { email = "x@" + a.Tenant.Code + ".lg.example", displayName = "x" });
        var idInA = (await invite.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var fromB = await b.Client.PostAsync(b.Url($"/api/v1/users/{idInA}/invitation"), null);

        await HttpAssert.ProblemAsync(fromB, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Logout_Audited()
    {
        var admin = await _app.TenantAdminAsync();

        await admin.Client.PostAsync(admin.Url("/api/v1/auth/logout"), null);

        Assert.Equal("signin.signed_out", (await _app.AuditActionsAsync(admin.Tenant)).Last());
        await HttpAssert.ProblemAsync(await admin.Client.GetAsync(admin.Url("/api/v1/me")), HttpStatusCode.Unauthorized);
    }
}
