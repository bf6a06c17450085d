using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AspService.Data;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Identity;

/// <summary>The same flows on PostgreSQL: its migrations, timestamp precision (audit hashes) and case rules.</summary>
[Collection(PostgresGroup.Name)]
public sealed class TenantIdentityPostgresTests(PostgresCluster cluster)
{
    [Fact]
    public async Task WholeFlow_OnPostgres_SignInAdminActionsImportAndAuditChain()
    {
        var catalog = await cluster.CreateDatabaseAsync("idcat_" + Guid.NewGuid().ToString("N")[..8]);
        using var app = new AppFactory(DatabaseProvider.PostgreSql, cluster.ServerConnectionString, catalog);
        var ops = await app.OperatorClientAsync();
        var admin = await app.TenantAdminAsync(ops);
        var other = await app.TenantAdminAsync(ops);
        var (staff, staffId) = await app.InviteAndSignInAsync(admin);

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync(admin.Url($"/api/v1/users/{staffId}/disable"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await staff.Client.GetAsync(staff.Url("/api/v1/me"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync(other.Url($"/api/v1/users/{staffId}"))).StatusCode);

        var sjis = CodePagesEncodingProvider.Instance.GetEncoding(932)!;
        var csv = new ByteArrayContent(sjis.GetBytes($"氏名,メールアドレス\r\n渡辺 健,ken.watanabe@{admin.Tenant.Code}.lg.example\r\n"));
        csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var import = await admin.Client.PostAsync(admin.Url("/api/v1/users/import"), csv);
        Assert.Equal(1, (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());

        var intact = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/audit/verify"));
        Assert.True(intact.GetProperty("intact").GetBoolean(), intact.ToString());
        await using (var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(app.Binding(admin.Tenant)))
        {
            await db.AuditLog.Where(a => a.Sequence == 4).ExecuteUpdateAsync(s => s.SetProperty(a => a.Actor, "forged"));
        }

        var broken = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/audit/verify"));
        Assert.Equal(4, broken.GetProperty("brokenAt").GetInt64());
    }
}
