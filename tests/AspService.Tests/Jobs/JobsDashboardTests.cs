using System.Net;
using AspService.Server.Jobs.Work;
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
        var delete = await reader.PostAsync("/ops/jobs/jobs/enqueued/delete", new FormUrlEncodedContent([new("jobs[]", jobId)]));
        var trigger = await reader.PostAsync("/ops/jobs/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "tenant-operations")]));

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
        var delete = await admin.PostAsync("/ops/jobs/jobs/enqueued/delete", new FormUrlEncodedContent([new("jobs[]", jobId)]));

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.True(delete.IsSuccessStatusCode, delete.StatusCode.ToString());
        Assert.Equal("Deleted", State(jobId));
    }

    private string? State(string jobId)
    {
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }
}
