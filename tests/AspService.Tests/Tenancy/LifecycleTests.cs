using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Data.TenantData;
using AspService.Server.Tenancy;
using AspService.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Tenancy;

public sealed class LifecycleTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task Suspend_TenantRefused403_DataIntact_ResumeRestores()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);
        await WriteMarkerAsync(tenant, "kept");

        var suspended = await ops.PostAsJsonAsync($"/api/v1/ops/tenants/{tenant.Code}/suspend", new { reason = "未払い / unpaid" });
        var whileSuspended = await _app.ClientFor().GetAsync($"/t/{tenant.Code}/api/v1/tenant");
        var resumed = await ops.PostAsync($"/api/v1/ops/tenants/{tenant.Code}/resume", null);
        var afterResume = await _app.ClientFor().GetAsync($"/t/{tenant.Code}/api/v1/tenant");

        Assert.Equal(TenantState.Suspended, (await suspended.Content.ReadFromJsonAsync<TenantDto>(AppFactory.Json))!.State);
        var problem = await HttpAssert.ProblemAsync(whileSuspended, HttpStatusCode.Forbidden);
        Assert.Contains("停止", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterResume.StatusCode);
        Assert.Equal("kept", await ReadMarkerAsync(tenant));
    }

    [Fact]
    public async Task Suspend_WithoutReason_400NothingChanged()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);

        var response = await ops.PostAsJsonAsync($"/api/v1/ops/tenants/{tenant.Code}/suspend", new { reason = " " });

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "reason"));
        Assert.Equal(TenantState.Active, (await GetAsync(ops, tenant.Code)).State);
    }

    [Fact]
    public async Task IllegalTransitions_409NothingChanged()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);

        var resumeActive = await ops.PostAsync($"/api/v1/ops/tenants/{tenant.Code}/resume", null);

        var problem = await HttpAssert.ProblemAsync(resumeActive, HttpStatusCode.Conflict);
        Assert.NotEmpty(HttpAssert.FieldErrors(problem, "state"));
        Assert.Equal(TenantState.Active, (await GetAsync(ops, tenant.Code)).State);
    }

    [Fact]
    public async Task Decommission_ExportsArchive_DropsAfterRetention_ThenDeletedCannotResume()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);
        await WriteMarkerAsync(tenant, "archived value");
        var dbName = _app.DatabaseNameOf(tenant.Id);
        var dbFile = Path.Combine(_app.DataRoot, "tenants", dbName + ".db");

        var wrongConfirm = await ops.PostAsJsonAsync($"/api/v1/ops/tenants/{tenant.Code}/decommission", new { confirmCode = "000000" });
        await HttpAssert.ProblemAsync(wrongConfirm, HttpStatusCode.BadRequest);
        var started = await ops.PostAsJsonAsync($"/api/v1/ops/tenants/{tenant.Code}/decommission", new { confirmCode = tenant.Code });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        await _app.RunTenantWorkAsync();

        var during = await GetAsync(ops, tenant.Id.ToString());
        Assert.Equal(TenantState.Decommissioning, during.State);
        Assert.True(File.Exists(dbFile), "kept during the retention period");
        await HttpAssert.ProblemAsync(await _app.ClientFor().GetAsync($"/t/{tenant.Code}/api/v1/tenant"), HttpStatusCode.Forbidden);
        var archive = Path.Combine(_app.DataRoot, "archives", during.ArchiveFile!);
        using (var zip = ZipFile.OpenRead(archive))
        {
            var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open()).RootElement;
            Assert.Equal(tenant.Code, manifest.GetProperty("tenant").GetProperty("code").GetString());
            var settings = manifest.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Settings");
            Assert.Equal(3, settings.GetProperty("rows").GetInt32());
            using var reader = new StreamReader(zip.GetEntry("tables/Settings.jsonl")!.Open());
            Assert.Contains("archived value", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }

        _app.Clock.Advance(TimeSpan.FromDays(31));
        await _app.RunTenantWorkAsync();
        ops = await _app.OperatorClientAsync(); // the old sign-in expired with the month that passed

        var deleted = await GetAsync(ops, tenant.Id.ToString());
        Assert.Equal(TenantState.Deleted, deleted.State);
        Assert.False(File.Exists(dbFile));
        Assert.True(File.Exists(archive));
        await HttpAssert.ProblemAsync(await _app.ClientFor().GetAsync($"/t/{tenant.Code}/api/v1/tenant"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await ops.PostAsync($"/api/v1/ops/tenants/{tenant.Id}/resume", null), HttpStatusCode.Conflict);

        // The code is free again: the municipality can come back as a new tenant.
        var again = await _app.OnboardTenantAsync(ops, LocalGovernmentDirectory.Shipped.Find(tenant.Code));
        Assert.NotEqual(tenant.Id, again.Id);
    }

    [Fact]
    public async Task Onboard_SameCodeTwice_409()
    {
        var ops = await _app.OperatorClientAsync();
        var tenant = await _app.OnboardTenantAsync(ops);

        var response = await ops.PostAsJsonAsync("/api/v1/ops/tenants", new { code = tenant.Code, adminEmail = "b@c.example" });

        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains(tenant.Name, HttpAssert.FieldErrors(problem, "code").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsRole_AfterRestart_FinishesUnfinishedProvisioning()
    {
        var root = Path.Combine(Path.GetTempPath(), "aspsvc-restart-" + Guid.NewGuid().ToString("N")[..8]);
        var lg = AppFactory.FreshMunicipality();
        try
        {
            using (var webOnly = new AppFactory(dataRoot: root))
            {
                var ops = await webOnly.OperatorClientAsync();
                var accepted = await ops.PostAsJsonAsync("/api/v1/ops/tenants", new { code = lg.Code, adminEmail = "a@b.example" });
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            }

            using var withJobs = new AppFactory(dataRoot: root, settings: new() { ["Server:Roles"] = "web,jobs" });
            var client = withJobs.ClientFor();
            HttpResponseMessage? response = null;
            await Eventually.UntilAsync(async () =>
            {
                response = await client.GetAsync($"/t/{lg.Code}/api/v1/tenant");
                return response.StatusCode != HttpStatusCode.ServiceUnavailable;
            });

            Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<TenantDto> GetAsync(HttpClient ops, string key) =>
        (await ops.GetFromJsonAsync<TenantDto>($"/api/v1/ops/tenants/{key}", AppFactory.Json))!;

    private async Task WriteMarkerAsync(TenantDto tenant, string value)
    {
        await using var db = _app.Services.GetRequiredService<TenantDbContextFactory>().Create(_app.Binding(tenant));
        db.Settings.Add(new TenantSetting { Key = "marker", Value = value, UpdatedAt = _app.Clock.GetUtcNow() });
        await db.SaveChangesAsync();
    }

    private async Task<string> ReadMarkerAsync(TenantDto tenant)
    {
        await using var db = _app.Services.GetRequiredService<TenantDbContextFactory>().Create(_app.Binding(tenant));
        return (await db.Settings.SingleAsync(s => s.Key == "marker")).Value;
    }
}
