using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Data;
using AspService.Data.TenantData;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Tenancy;

/// <summary>Two tenants on one deployment never see each other's data — on SQLite files and on PostgreSQL.</summary>
public abstract class TenantIsolationTests
{
    protected abstract AppFactory App { get; }

    [Fact]
    public async Task TenantData_WrittenInA_InvisibleInB()
    {
        var ops = await App.OperatorClientAsync();
        var a = await App.OnboardTenantAsync(ops);
        var b = await App.OnboardTenantAsync(ops);
        var contexts = App.Services.GetRequiredService<TenantDbContextFactory>();

        await using (var dbA = contexts.Create(App.Binding(a)))
        {
            dbA.Settings.Add(new TenantSetting { Key = "marker", Value = "A only", UpdatedAt = App.Clock.GetUtcNow() });
            await dbA.SaveChangesAsync();
        }

        await using var readA = contexts.Create(App.Binding(a));
        await using var readB = contexts.Create(App.Binding(b));
        Assert.Equal("A only", (await readA.Settings.SingleAsync(s => s.Key == "marker")).Value);
        Assert.False(await readB.Settings.AnyAsync(s => s.Key == "marker"));
        Assert.Equal(a.Id, (await readA.TenantInfo.SingleAsync()).TenantId);
        Assert.Equal(b.Id, (await readB.TenantInfo.SingleAsync()).TenantId);
        Assert.NotEqual(readA.Database.GetDbConnection().DataSource + readA.Database.GetDbConnection().Database,
            readB.Database.GetDbConnection().DataSource + readB.Database.GetDbConnection().Database);
    }

    [Fact]
    public async Task TenantDbContext_Bound_CannotBeRepointed()
    {
        var ops = await App.OperatorClientAsync();
        var a = await App.OnboardTenantAsync(ops);
        await using var db = App.Services.GetRequiredService<TenantDbContextFactory>().Create(App.Binding(a));

        // The tenant is fixed at construction; the only setter-like API EF offers must refuse to move it.
        Assert.Equal(a.Id, db.Tenant.TenantId);
        Assert.Null(typeof(TenantDbContext).GetProperty(nameof(TenantDbContext.Tenant))!.SetMethod);
        var connection = db.Database.GetConnectionString();
        Assert.Contains(App.DatabaseNameOf(a.Id), connection, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", connection ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TenantEndpoint_ByPathAndHost_ServesOwnTenantOnly()
    {
        var ops = await App.OperatorClientAsync();
        var a = await App.OnboardTenantAsync(ops);
        var b = await App.OnboardTenantAsync(ops);

        var byPath = await App.ClientFor().GetFromJsonAsync<JsonElement>($"/t/{a.Code}/api/v1/tenant");
        var byHost = await App.ClientFor($"{b.Code}.{AppFactory.BaseDomain}").GetFromJsonAsync<JsonElement>("/api/v1/tenant");

        Assert.Equal(a.Name, byPath.GetProperty("name").GetString());
        Assert.Equal(b.Name, byHost.GetProperty("name").GetString());
    }

    [Fact]
    public async Task SpoofedHeadersQueryAndCookie_NeverChooseTenant()
    {
        var ops = await App.OperatorClientAsync();
        var a = await App.OnboardTenantAsync(ops);
        var b = await App.OnboardTenantAsync(ops);
        var client = App.ClientFor();
        client.DefaultRequestHeaders.Add("X-Tenant", b.Code);
        client.DefaultRequestHeaders.Add("X-Forwarded-Host", $"{b.Code}.{AppFactory.BaseDomain}");
        client.DefaultRequestHeaders.Add("Cookie", $"tenant={b.Code}");

        var inA = await client.GetFromJsonAsync<JsonElement>($"/t/{a.Code}/api/v1/tenant?tenant={b.Code}");
        var noTenant = await client.GetAsync($"/api/v1/tenant?tenant={b.Code}");

        Assert.Equal(a.Code, inA.GetProperty("code").GetString());
        await HttpAssert.ProblemAsync(noTenant, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task HostAndPathNamingDifferentTenants_Refused()
    {
        var ops = await App.OperatorClientAsync();
        var a = await App.OnboardTenantAsync(ops);
        var b = await App.OnboardTenantAsync(ops);

        var response = await App.ClientFor($"{a.Code}.{AppFactory.BaseDomain}").GetAsync($"/t/{b.Code}/api/v1/tenant");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }
}

public sealed class TenantIsolationSqliteTests(SqliteHost host) : TenantIsolationTests, IClassFixture<SqliteHost>
{
    protected override AppFactory App => host.App;

    [Fact]
    public async Task TenantDatabases_AreSeparateFiles()
    {
        var ops = await App.OperatorClientAsync();
        var a = await App.OnboardTenantAsync(ops);
        var b = await App.OnboardTenantAsync(ops);
        var providers = App.Services.GetRequiredService<DatabaseProviders>();

        var fileA = providers.SqliteTenantPath(App.DatabaseNameOf(a.Id));
        var fileB = providers.SqliteTenantPath(App.DatabaseNameOf(b.Id));

        Assert.NotEqual(fileA, fileB);
        Assert.True(File.Exists(fileA));
        Assert.True(File.Exists(fileB));
    }
}

[Collection(PostgresGroup.Name)]
public sealed class TenantIsolationPostgresTests(PostgresCluster cluster) : TenantIsolationTests
{
    protected override AppFactory App => cluster.App;
}
