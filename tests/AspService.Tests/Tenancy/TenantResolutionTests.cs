using System.Net;
using AspService.Tests.Infrastructure;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;

namespace AspService.Tests.Tenancy;

/// <summary>Path tricks and the boundary between the operator area and tenants.</summary>
public sealed class TenantResolutionTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Theory]
    [InlineData("/t/{a}/../t/{b}/api/v1/tenant")]
    [InlineData("/t/{a}/./api/v1/tenant")]
    [InlineData("/t%2F{b}/api/v1/tenant")]
    [InlineData("/t/{a}%2F..%2Ft%2F{b}/api/v1/tenant")]
    [InlineData("/t/{a}//api/v1/tenant")]
    public async Task PathTrick_Refused400(string template)
    {
        var ops = await _app.OperatorClientAsync();
        var a = await _app.OnboardTenantAsync(ops);
        var b = await _app.OnboardTenantAsync(ops);
        var path = template.Replace("{a}", a.Code, StringComparison.Ordinal).Replace("{b}", b.Code, StringComparison.Ordinal);

        // The raw path reaches the server as sent (HttpClient would normalise dot segments itself).
        var context = await _app.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = PathString.FromUriComponent(path.Replace("%2F", "%252F", StringComparison.Ordinal));
        });

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("/t/{a}/%2500")]
    [InlineData("/t/{a}/api/v1/users%2500")]
    [InlineData("/t/{a}/a%2500b")]
    [InlineData("/t/131016/%2500")] // well-formed code, no such tenant here
    [InlineData("/%2500")] // outside a tenant, for comparison
    public async Task EncodedNul_404Problem_LikeAnyUnknownPath(string template)
    {
        var ops = await _app.OperatorClientAsync();
        var a = await _app.OnboardTenantAsync(ops);

        // The server decodes "%2500" once, to "%00", as Kestrel does; decoding that again used to give a NUL and a 500.
        var context = await _app.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = PathString.FromUriComponent(template.Replace("{a}", a.Code, StringComparison.Ordinal));
        });

        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType?.Split(';')[0]);
    }

    [Fact]
    public async Task MixedCasePrefix_NotATenantPath404()
    {
        var ops = await _app.OperatorClientAsync();
        var a = await _app.OnboardTenantAsync(ops);

        var response = await _app.ClientFor().GetAsync($"/T/{a.Code}/api/v1/tenant");

        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/t/131016/api/v1/tenant")] // Chiyoda: well-formed, never onboarded here
    [InlineData("/t/131017/api/v1/tenant")] // wrong check digit
    [InlineData("/t/011011/api/v1/tenant")] // a ward
    public async Task UnknownTenant_404Problem(string path)
    {
        var response = await _app.ClientFor().GetAsync(path);

        await HttpAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OperatorEndpoints_WithoutOperator_401()
    {
        foreach (var path in new[] { "/api/v1/ops/tenants", "/api/v1/ops/applications", "/api/v1/ops/me" })
        {
            await HttpAssert.ProblemAsync(await _app.ClientFor().GetAsync(path), HttpStatusCode.Unauthorized);
        }

        var post = await _app.ClientFor().PostAsync("/api/v1/ops/tenants", JsonContent.Create(new { code = "131016", adminEmail = "a@b.example" }));
        await HttpAssert.ProblemAsync(post, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OperatorEndpoints_UnderTenantPathOrHost_404EvenForOperator()
    {
        var ops = await _app.OperatorClientAsync();
        var a = await _app.OnboardTenantAsync(ops);

        var byPath = await ops.GetAsync($"/t/{a.Code}/api/v1/ops/tenants");
        var hostClient = _app.ClientFor($"{a.Code}.{AppFactory.BaseDomain}");
        var byHost = await hostClient.GetAsync("/api/v1/ops/tenants");
        var openApi = await _app.ClientFor().GetAsync($"/t/{a.Code}/openapi/v1.json");
        var signup = await _app.ClientFor().PostAsync($"/t/{a.Code}/api/v1/signups", JsonContent.Create(new { }));

        await HttpAssert.ProblemAsync(byPath, HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(byHost, HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(openApi, HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(signup, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TenantEndpoint_WithoutTenant_404()
    {
        await HttpAssert.ProblemAsync(await _app.ClientFor().GetAsync("/api/v1/tenant"), HttpStatusCode.NotFound);
    }
}

public sealed class ForwardedHostTests
{
    [Fact]
    public async Task ForwardedHost_FromUntrustedPeer_Ignored_FromTrustedProxy_Used()
    {
        using var app = new AppFactory(settings: new() { ["Network:TrustedProxies:0"] = "10.9.0.0/16" });
        var ops = await app.OperatorClientAsync();
        var a = await app.OnboardTenantAsync(ops);

        Task<HttpContext> Send(string peer) => app.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/api/v1/tenant";
            c.Request.Headers["X-Forwarded-Host"] = $"{a.Code}.{AppFactory.BaseDomain}";
            c.Request.Headers["X-Forwarded-For"] = "203.0.113.5";
            c.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(peer);
        });

        var untrusted = await Send("198.51.100.7");
        var trusted = await Send("10.9.1.2");

        Assert.Equal(StatusCodes.Status404NotFound, untrusted.Response.StatusCode);
        Assert.Equal(StatusCodes.Status200OK, trusted.Response.StatusCode);
    }
}
