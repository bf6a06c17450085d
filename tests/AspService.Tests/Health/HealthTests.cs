using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Health;

public sealed class HealthTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task Healthz_Alive()
    {
        var response = await _app.ClientFor().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_CatalogAndTenantStorage_Healthy()
    {
        var body = await _app.ClientFor().GetFromJsonAsync<JsonElement>("/readyz");
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("catalog").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_TenantServerUnreachable_Unhealthy503()
    {
        using var broken = new AppFactory(settings: new()
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:Catalog"] = "Host=127.0.0.1;Port=1;Username=x;Database=c;Timeout=2",
            ["Database:TenantServer"] = "Host=127.0.0.1;Port=1;Username=x;Timeout=2",
            ["Server:MigrateCatalogOnStart"] = "false",
        });

        var response = await broken.ClientFor().GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_DocumentsOperatorAndSignupEndpoints()
    {
        var doc = await _app.ClientFor().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/ops/tenants", out _));
        Assert.True(paths.TryGetProperty("/api/v1/signups", out _));
        Assert.True(paths.TryGetProperty("/api/v1/ops/applications/{id}/approve", out _));
    }
}
