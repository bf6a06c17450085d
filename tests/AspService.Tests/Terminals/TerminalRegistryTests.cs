using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Data;
using AspService.Server.Tenancy;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Terminals;

/// <summary>The admin registry and staff views, and tenant isolation of every terminal endpoint.</summary>
public sealed class TerminalRegistryTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private AppFactory App => host.App;

    [Fact]
    public async Task Registry_CreateRenameAssignDisableDelete_IsVisibleToAssignedStaffAndAudited()
    {
        var admin = await App.TenantAdminAsync();
        var (staff, staffId) = await App.InviteAndSignInAsync(admin);

        var created = await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/terminals"), new { kind = "office", name = "税務課 PC-01", location = "本庁舎3F" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var renamed = await admin.Client.PutAsJsonAsync(admin.Url($"/api/v1/terminals/{id}"), new { name = "税務課 PC-02" });
        Assert.Equal("税務課 PC-02", (await renamed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        Assert.Equal(0, (await MineAsync(staff)).GetProperty("office").GetArrayLength());

        var assigned = await admin.Client.PostAsJsonAsync(admin.Url($"/api/v1/terminals/{id}/assignments"), new { userId = staffId });
        Assert.Equal(staffId, (await assigned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assignees")[0].GetProperty("userId").GetGuid());
        var office = (await MineAsync(staff)).GetProperty("office").EnumerateArray().Single();
        Assert.Equal("本庁舎3F", office.GetProperty("location").GetString());

        // Re-enrollment of the registered PC uses a token that names it.
        var token = await admin.TokenAsync("office", terminalId: id);
        var enrolled = await TerminalKit.EnrollAsync(App.ClientFor(), admin.Tenant.Code, token);
        Assert.Equal(id, enrolled.Id);

        var disabled = await admin.Client.PostAsync(admin.Url($"/api/v1/terminals/{id}/disable"), null);
        Assert.Equal("disabled", (await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        var enabled = await admin.Client.PostAsync(admin.Url($"/api/v1/terminals/{id}/enable"), null);
        Assert.Equal("active", (await enabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync(admin.Url($"/api/v1/terminals/{id}/assignments/{staffId}"))).StatusCode);
        Assert.Equal(0, (await MineAsync(staff)).GetProperty("office").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync(admin.Url($"/api/v1/terminals/{id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync(admin.Url($"/api/v1/terminals/{id}"))).StatusCode);
        await using (var db = App.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(App.Binding(admin.Tenant)))
        {
            Assert.All(await db.TerminalCertificates.Where(c => c.TerminalId == id).ToListAsync(), c => Assert.NotNull(c.RevokedAt));
        }

        var actions = await App.AuditActionsAsync(admin.Tenant);
        foreach (var action in new[] { "terminal.created", "terminal.changed", "terminal.assigned", "terminal.disabled", "terminal.enabled",
            "terminal.unassigned", "terminal.deleted", "certificate.revoked" })
        {
            Assert.Contains(action, actions);
        }
    }

    [Fact]
    public async Task Registry_BadInput_IsRefusedAndChangesNothing()
    {
        var admin = await App.TenantAdminAsync();
        var url = admin.Url("/api/v1/terminals");
        var problem = await HttpAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(url, new { kind = "office", name = "" }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "name"));
        problem = await HttpAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(url, new { kind = "home", name = "x" }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "ownerUserId"));
        problem = await HttpAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(url, new { kind = "office", name = new string('x', 101) }), HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "name"));
        await HttpAssert.ProblemAsync(await admin.Client.GetAsync(url + "?kind=laptop"), HttpStatusCode.BadRequest);
        await HttpAssert.ProblemAsync(await admin.Client.GetAsync(url + "/not-a-guid"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await admin.Client.PostAsync(url + $"/{Guid.NewGuid()}/approve", null), HttpStatusCode.NotFound, "terminal-not-found");

        var home = await admin.Client.PostAsJsonAsync(url, new { kind = "home", name = "自宅", ownerUserId = await AdminIdAsync(admin) });
        var homeId = (await home.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await HttpAssert.ProblemAsync(await admin.Client.PostAsJsonAsync(url + $"/{homeId}/assignments", new { userId = Guid.NewGuid() }), HttpStatusCode.Conflict, "office-only");
        Assert.Equal(1, (await admin.Client.GetFromJsonAsync<JsonElement>(url)).GetArrayLength());
    }

    [Fact]
    public async Task EveryTerminalEndpoint_RefusesOtherTenantsStaffAndAnonymous()
    {
        var admin = await App.TenantAdminAsync();
        var other = await App.TenantAdminAsync();
        var (staff, _) = await App.InviteAndSignInAsync(admin);
        var enrolled = await TerminalKit.EnrollAsync(App.ClientFor(), admin.Tenant.Code, await admin.TokenAsync());
        var id = enrolled.Id;
        var anonymous = App.ClientFor();

        // Another tenant's admin, on their own tenant path, cannot see or touch this terminal: it does not exist there.
        foreach (var (method, path) in new[]
        {
            ("GET", $"/api/v1/terminals/{id}"), ("PUT", $"/api/v1/terminals/{id}"), ("POST", $"/api/v1/terminals/{id}/approve"),
            ("POST", $"/api/v1/terminals/{id}/disable"), ("POST", $"/api/v1/terminals/{id}/enable"), ("POST", $"/api/v1/terminals/{id}/revoke"),
            ("DELETE", $"/api/v1/terminals/{id}"), ("POST", $"/api/v1/terminals/{id}/assignments"),
        })
        {
            var response = await SendAsync(other.Client, method, other.Url(path));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(staff.Client, method, staff.Url(path))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(anonymous, method, admin.Url(path))).StatusCode);
        }

        // Their cookie on this tenant's path is refused, not re-interpreted.
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.Client.GetAsync(admin.Url("/api/v1/terminals"))).StatusCode);
        Assert.Equal(0, (await other.Client.GetFromJsonAsync<JsonElement>(other.Url("/api/v1/terminals"))).GetArrayLength());
        Assert.Equal(0, (await other.Client.GetFromJsonAsync<JsonElement>(other.Url("/api/v1/enrollment-tokens"))).GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.PostAsJsonAsync(staff.Url("/api/v1/enrollment-tokens"), new { kind = "office" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(admin.Url("/api/v1/me/terminals"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync(admin.Url("/api/v1/policy"), new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.PutAsJsonAsync(staff.Url("/api/v1/policy"), new { })).StatusCode);
        // Outside a tenant the terminal endpoints do not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/terminals")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/api/v1/enrollments", new { token = "x", csr = "y" })).StatusCode);

        var still = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url($"/api/v1/terminals/{id}"));
        Assert.Equal("active", still.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Policy_InvalidDocument_IsRefusedWithFieldErrors_ValidOneIsStoredAndAudited()
    {
        var admin = await App.TenantAdminAsync();
        var url = admin.Url("/api/v1/policy");
        var initial = await admin.Client.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal(0, initial.GetProperty("version").GetInt32());
        Assert.False(initial.GetProperty("policy").GetProperty("allowHomeSelfRegistration").GetBoolean());

        var bad = await admin.Client.PutAsJsonAsync(url, new { allowedWeekdays = Array.Empty<string>(), allowedSourceNetworks = new[] { "10.0.0.0/33" } });
        var problem = await HttpAssert.ProblemAsync(bad, HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "allowedWeekdays"));
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "allowedSourceNetworks[0]"));
        await HttpAssert.ProblemAsync(await admin.Client.PutAsJsonAsync(url, new { colour = "red" }), HttpStatusCode.BadRequest);
        Assert.Equal(0, (await admin.Client.GetFromJsonAsync<JsonElement>(url)).GetProperty("version").GetInt32());

        var good = await admin.Client.PutAsJsonAsync(url, new { allowedSourceNetworks = new[] { "203.0.113.0/24", "2001:db8::/32" }, maxConcurrentSessionsPerUser = 2 });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var stored = await admin.Client.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal(1, stored.GetProperty("version").GetInt32());
        Assert.Equal(2, stored.GetProperty("policy").GetProperty("maxConcurrentSessionsPerUser").GetInt32());
        Assert.Contains("policy.changed", await App.AuditActionsAsync(admin.Tenant));

        // An edit based on an older version is refused instead of overwriting the newer one.
        using var stale = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(new { maxConcurrentSessionsPerUser = 3 }) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        await HttpAssert.ProblemAsync(await admin.Client.SendAsync(stale), HttpStatusCode.Conflict);
        using var current = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(new { maxConcurrentSessionsPerUser = 3 }) };
        current.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.SendAsync(current)).StatusCode);

        var tenant = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/tenant"));
        Assert.Equal($"https://{admin.Tenant.Code}.{AppFactory.BaseDomain}", tenant.GetProperty("publicUrl").GetString());
    }

    private static async Task<JsonElement> MineAsync(TenantSession staff) =>
        await staff.Client.GetFromJsonAsync<JsonElement>(staff.Url("/api/v1/me/terminals"));

    private static async Task<Guid> AdminIdAsync(TenantSession admin) =>
        (await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/me"))).GetProperty("id").GetGuid();

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = method == "PUT" ? JsonContent.Create(new { name = "x" })
                : url.EndsWith("/assignments", StringComparison.Ordinal) ? JsonContent.Create(new { userId = Guid.NewGuid() })
                : null,
        });
}

/// <summary>Enrollment, registry and the audit chain on PostgreSQL (its migrations and timestamp precision).</summary>
[Collection(PostgresGroup.Name)]
public sealed class TerminalPostgresTests(PostgresCluster cluster)
{
    [Fact]
    public async Task EnrollRenewRevoke_OnPostgres_KeepsTheAuditChainIntact()
    {
        var catalog = await cluster.CreateDatabaseAsync("termcat_" + Guid.NewGuid().ToString("N")[..8]);
        using var app = new AppFactory(DatabaseProvider.PostgreSql, cluster.ServerConnectionString, catalog);
        var admin = await app.TenantAdminAsync();
        var other = await app.TenantAdminAsync();
        var enrolled = await TerminalKit.EnrollAsync(app.ClientFor(), admin.Tenant.Code, await admin.TokenAsync());
        var foreign = await TerminalKit.PostEnrollmentAsync(app.ClientFor(), other.Tenant.Code, await admin.TokenAsync(), TerminalKit.NewCsr(out var key));
        key.Dispose();
        await HttpAssert.ProblemAsync(foreign, HttpStatusCode.BadRequest, "enrollment-token-invalid");
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync(other.Url($"/api/v1/terminals/{enrolled.Id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync(admin.Url($"/api/v1/terminals/{enrolled.Id}/revoke"), null)).StatusCode);

        var intact = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/audit/verify"));
        Assert.True(intact.GetProperty("intact").GetBoolean(), intact.ToString());
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(app.Binding(admin.Tenant));
        var certificate = await db.TerminalCertificates.SingleAsync();
        Assert.NotNull(certificate.RevokedAt);
        Assert.Equal("revoked_by_admin", certificate.RevocationReason);
    }
}
