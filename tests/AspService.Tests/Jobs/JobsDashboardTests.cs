using System.Net;
using System.Text.RegularExpressions;
using AspService.Server.Tenancy.Provisioning;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Jobs;

public sealed class JobsDashboardTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task Dashboard_Anonymous_401()
    {
        var response = await _app.ClientFor().GetAsync("/ops/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_TenantUser_RefusedOutsideAndNotFoundInsideTenant()
    {
        var admin = await _app.TenantAdminAsync();

        var outside = await admin.Client.GetAsync("/ops/jobs");
        var underPath = await admin.Client.GetAsync(admin.Url("/ops/jobs"));
        var onHost = await _app.ClientFor($"{admin.Tenant.Code}.{AppFactory.BaseDomain}").GetAsync("/ops/jobs");

        Assert.True(outside.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, outside.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.NotFound, underPath.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onHost.StatusCode);
    }

    [Fact]
    public async Task Dashboard_OperatorUnderTenantPath_404()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);

        var response = await ops.GetAsync($"/t/{tenant.Code}/ops/jobs");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_NonAdministrator_ReadsButCannotTriggerOrDelete()
    {
        var reader = await _app.OperatorClientAsync(administrator: false);
        var jobId = _app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<TenantOperationsJob>(j => j.RunAsync(CancellationToken.None));

        var page = await reader.GetAsync("/ops/jobs/jobs/enqueued");
        var delete = await DashboardPostAsync(reader, "/ops/jobs/jobs/enqueued/delete", ("jobs[]", jobId));
        var trigger = await DashboardPostAsync(reader, "/ops/jobs/recurring/trigger", ("jobs[]", "tenant-operations"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, trigger.StatusCode);
        Assert.Equal("Enqueued", State(jobId));
    }

    [Fact]
    public async Task Dashboard_Administrator_CanDelete()
    {
        var admin = await _app.OperatorClientAsync(administrator: true);
        var jobId = _app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<TenantOperationsJob>(j => j.RunAsync(CancellationToken.None));

        var home = await admin.GetAsync("/ops/jobs");
        var delete = await DashboardPostAsync(admin, "/ops/jobs/jobs/enqueued/delete", ("jobs[]", jobId));

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.True(delete.IsSuccessStatusCode, delete.StatusCode.ToString());
        Assert.Equal("Deleted", State(jobId));
    }

    /// <summary>
    /// A dashboard button's POST as the browser sends it: with the antiforgery header and token the dashboard page
    /// carries in its meta tags (the dashboard checks them since the consoles registered antiforgery).
    /// </summary>
    private static async Task<HttpResponseMessage> DashboardPostAsync(HttpClient client, string path, (string Name, string Value) field)
    {
        var page = await client.GetStringAsync("/ops/jobs");
        var header = Regex.Match(page, "<meta name=\"csrf-header\" content=\"([^\"]+)\"").Groups[1].Value;
        var token = Regex.Match(page, "<meta name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(header.Length == 0 || token.Length == 0, "no antiforgery meta tags on the dashboard page");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([new(field.Name, field.Value)]) };
        request.Headers.Add(header, token);
        return await client.SendAsync(request);
    }

    private string? State(string jobId)
    {
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }
}
