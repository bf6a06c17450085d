using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AspService.Billing;
using AspService.Data.Billing;
using AspService.Data.Catalog;
using AspService.Server.Billing;
using AspService.Server.Jobs;
using AspService.Tests.Billing;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace AspService.Tests.Jobs;

/// <summary>The monthly usage-report job (embedded default), its content and its downloads, including the cross-tenant checks.</summary>
public sealed class UsageReportJobTests : IDisposable
{
    private static readonly BillingMonth October = new(2026, 10);
    private readonly AppFactory _app = new(settings: JobScenarios.Settings());

    public void Dispose() => _app.Dispose();

    /// <summary>Two tenants with October usage, October closed; the report jobs run (bodies directly, as the server would).</summary>
    private Task<(HttpClient Ops, TenantSession A, TenantSession B)> ReportedTenantsAsync() => ReportedTenantsAsync(_app);

    internal static async Task<(HttpClient Ops, TenantSession A, TenantSession B)> ReportedTenantsAsync(AppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var ops = await app.OperatorClientAsync();
        await JobScenarios.CreatePlanAsync(ops);
        var a = await app.TenantAdminAsync(ops);
        var b = await app.TenantAdminAsync(ops);
        foreach (var t in new[] { a, b })
        {
            (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{t.Tenant.Code}/plans", new { planCode = "standard", effectiveFrom = "2026-04-01" })).EnsureSuccessStatusCode();
        }

        var rollups = app.Services.GetRequiredService<UsageRollups>();
        await rollups.UpsertDailyAsync(a.Tenant.Id, [new UsageRollups.Day(new DateOnly(2026, 10, 5), 3, 4, 6, 7200), new UsageRollups.Day(new DateOnly(2026, 10, 6), 2, 1, 1, 1800)], CancellationToken.None);
        await rollups.RecomputeMonthAsync(a.Tenant.Id, October, 4, CancellationToken.None);
        await rollups.UpsertDailyAsync(b.Tenant.Id, [new UsageRollups.Day(new DateOnly(2026, 10, 5), 9, 9, 9, 99999)], CancellationToken.None);
        await rollups.RecomputeMonthAsync(b.Tenant.Id, October, 9, CancellationToken.None);
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/closes", new { month = "2026-10" })).EnsureSuccessStatusCode();
        await RunReportJobsAsync(app);
        return (ops, a, b);
    }

    /// <summary>The recurring run, then the per-tenant jobs it queued (taken from the same due list).</summary>
    private Task<string> RunReportJobsAsync() => RunReportJobsAsync(_app);

    internal static async Task<string> RunReportJobsAsync(AppFactory app)
    {
        var outcome = await app.Services.GetRequiredService<UsageReportsJob>().RunAsync(CancellationToken.None);
        var runner = app.Services.GetRequiredService<JobRunner>();
        await using var scope = app.Services.CreateAsyncScope();
        var due = await scope.ServiceProvider.GetRequiredService<UsageReports>().DueAsync(await runner.LiveTenantsAsync(CancellationToken.None), CancellationToken.None);
        foreach (var (tenantId, month) in due)
        {
            await app.Services.GetRequiredService<UsageReportJob>().RunAsync(tenantId, month.Key, CancellationToken.None);
        }

        return outcome;
    }

    private Task<List<(Guid TenantId, int Month, string Csv, DateTimeOffset CreatedAt)>> ReportsAsync() => ReportsAsync(_app);

    internal static async Task<List<(Guid TenantId, int Month, string Csv, DateTimeOffset CreatedAt)>> ReportsAsync(AppFactory app)
    {
        await using var catalog = await app.Services.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync();
        var rows = await catalog.Set<UsageReport>().AsNoTracking().ToListAsync();
        return [.. rows.OrderBy(r => r.Month).ThenBy(r => r.TenantId).Select(r => (r.TenantId, r.Month, Convert.ToBase64String(r.Csv), r.CreatedAt))];
    }

    [Fact]
    public async Task ReportJobs_RunTwice_SameStateAsOnce_RemakingReplaces()
    {
        var (_, a, b) = await ReportedTenantsAsync();
        var once = await ReportsAsync();

        var second = await RunReportJobsAsync();
        var twice = await ReportsAsync();
        _app.Clock.Advance(TimeSpan.FromMinutes(5));
        await _app.Services.GetRequiredService<UsageReportJob>().RunAsync(a.Tenant.Id, October.Key, CancellationToken.None);
        var remade = await ReportsAsync();

        Assert.Equal(2, once.Count);
        Assert.Equal(new[] { a.Tenant.Id, b.Tenant.Id }.Order(), once.Select(r => r.TenantId).Order());
        Assert.Equal("no report due", second);
        Assert.Equal(once, twice);
        Assert.Equal(2, remade.Count);
        Assert.Equal(once.Select(r => r.Csv), remade.Select(r => r.Csv));
        Assert.Equal(once.Single(r => r.TenantId == a.Tenant.Id).CreatedAt.AddMinutes(5), remade.Single(r => r.TenantId == a.Tenant.Id).CreatedAt);
    }

    /// <summary>Reports of several months for one tenant are separate work: one month's run holding its lock skips only a
    /// second run of that same month, never another month's report (queued together after missed month ends).</summary>
    [Fact]
    public async Task ReportJob_WhileAnotherMonthOfTheTenantRuns_StillMakesItsReport_SameMonthIsSkipped()
    {
        var (_, a, _) = await ReportedTenantsAsync();
        var job = _app.Services.GetRequiredService<UsageReportJob>();
        var september = new BillingMonth(2026, 9);

        // The lock an October report run of A holds (resource named as TenantJobs names it: kind, tenant, unit).
        using (var october = _app.Services.GetRequiredService<JobLocks>().TryAcquire($"{UsageReportJob.Kind}:{a.Tenant.Id:N}:{October.Key}"))
        {
            Assert.NotNull(october);
            var sameMonth = await job.RunAsync(a.Tenant.Id, October.Key, CancellationToken.None);
            var otherMonth = await job.RunAsync(a.Tenant.Id, september.Key, CancellationToken.None);

            Assert.StartsWith("skipped", sameMonth, StringComparison.Ordinal);
            Assert.StartsWith(september.ToString(), otherMonth, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Report_CsvOneRowPerJstDayAndTotal_PdfJapaneseWithAddresseeAndTotals()
    {
        var (_, a, _) = await ReportedTenantsAsync();

        var csvResponse = await a.Client.GetAsync(a.Url("/api/v1/billing/usage-reports/2026-10.csv"));
        var pdfResponse = await a.Client.GetAsync(a.Url("/api/v1/billing/usage-reports/2026-10.pdf"));
        var list = await a.Client.GetFromJsonAsync<JsonElement>(a.Url("/api/v1/billing/usage-reports"));

        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var bytes = await csvResponse.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 31 + 1, lines.Length);
        Assert.Equal("date,office_terminals,active_users,sessions,session_hours", lines[0]);
        Assert.Equal("2026-10-01,0,0,0,0.00", lines[1]);
        Assert.Equal("2026-10-05,3,4,6,2.00", lines[5]);
        Assert.Equal("2026-10-06,2,1,1,0.50", lines[6]);
        Assert.Equal("2026-10-31,0,0,0,0.00", lines[31]);
        Assert.Equal("合計,3,4,7,2.50", lines[32]);

        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType?.MediaType);
        using var document = PdfDocument.Open(await pdfResponse.Content.ReadAsByteArrayAsync());
        var text = string.Concat(document.GetPages().Select(p => p.Text));
        Assert.Contains(a.Tenant.Name + " 御中", text, StringComparison.Ordinal);
        Assert.Contains("利用状況報告書", text, StringComparison.Ordinal);
        Assert.Contains("2026年10月", text, StringComparison.Ordinal);
        Assert.Contains("10月5日", text, StringComparison.Ordinal);
        Assert.Contains("合計", text, StringComparison.Ordinal);
        Assert.Contains("2.50", text, StringComparison.Ordinal);

        var item = Assert.Single(list.EnumerateArray());
        Assert.Equal("2026-10", item.GetProperty("month").GetString());
    }

    [Fact]
    public async Task CrossTenant_AdminOfACannotDownloadBsReport_Staff403_Anonymous401()
    {
        var (_, a, b) = await ReportedTenantsAsync();
        var (staff, _) = await _app.InviteAndSignInAsync(a);
        var anonymous = _app.ClientFor();

        // B's report does not exist under A (filtered by the resolved tenant); A's cookie on B's path is not B's admin.
        var bCsvOnB = await b.Client.GetAsync(b.Url("/api/v1/billing/usage-reports/2026-10.csv"));
        var aOnB = await a.Client.GetAsync(b.Url("/api/v1/billing/usage-reports/2026-10.csv"));
        var aNovember = await a.Client.GetAsync(a.Url("/api/v1/billing/usage-reports/2026-11.pdf"));
        var badMonth = await a.Client.GetAsync(a.Url("/api/v1/billing/usage-reports/2026-13.csv"));

        Assert.Equal(HttpStatusCode.OK, bCsvOnB.StatusCode);
        Assert.Contains(",9,9,9,", Encoding.UTF8.GetString(await bCsvOnB.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, aOnB.StatusCode);
        await HttpAssert.ProblemAsync(aNovember, HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(badMonth, HttpStatusCode.BadRequest);
        var aCsv = Encoding.UTF8.GetString(await (await a.Client.GetAsync(a.Url("/api/v1/billing/usage-reports/2026-10.csv"))).Content.ReadAsByteArrayAsync());
        Assert.DoesNotContain(",9,9,9,", aCsv, StringComparison.Ordinal);
        foreach (var path in new[] { "/api/v1/billing/usage-reports", "/api/v1/billing/usage-reports/2026-10.csv", "/api/v1/billing/usage-reports/2026-10.pdf" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(staff.Url(path))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(a.Url(path))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task Operator_DownloadsAnyTenantsReport_AndTheProviderSummary()
    {
        var (ops, a, b) = await ReportedTenantsAsync();

        var pdf = await ops.GetAsync($"/api/v1/ops/billing/usage-reports/{b.Tenant.Code}/2026-10.pdf");
        var csv = await ops.GetAsync($"/api/v1/ops/billing/usage-reports/{a.Tenant.Code}/2026-10.csv");
        var summary = await ops.GetAsync("/api/v1/ops/billing/usage-reports/2026-10/summary.csv");
        var unknown = await ops.GetAsync("/api/v1/ops/billing/usage-reports/999999/2026-10.csv");
        var tenantAdmin = await a.Client.GetAsync("/api/v1/ops/billing/usage-reports/2026-10/summary.csv");

        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("合計,3,4,7,2.50\r\n", Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
        var lines = Encoding.UTF8.GetString((await summary.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("month,tenant_code,tenant_name,office_terminals,active_users,sessions,session_hours,report_created_at", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"2026-10,{a.Tenant.Code},{a.Tenant.Name},3,4,7,2.50,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"2026-10,{b.Tenant.Code},{b.Tenant.Name},9,9,9,27.78,", StringComparison.Ordinal));
        await HttpAssert.ProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.NotEqual(HttpStatusCode.OK, tenantAdmin.StatusCode);
    }

    /// <summary>The jobs role was down over four month ends: when it comes back the catch-up close queues the reports, each made once.</summary>
    [Fact]
    public Task MissedMonths_JobsRoleComesBack_EachReportMadeExactlyOnce() =>
        MissedMonthsScenarioAsync(previous => new AppFactory(settings: JobScenarios.Settings(jobsRole: previous is not null), dataRoot: previous?.DataRoot));

    internal static async Task MissedMonthsScenarioAsync(Func<AppFactory?, AppFactory> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        using var web = create(null);
        var ops = await web.OperatorClientAsync();
        await JobScenarios.CreatePlanAsync(ops);
        var tenants = new[] { await web.OnboardTenantAsync(ops), await web.OnboardTenantAsync(ops) };
        foreach (var t in tenants)
        {
            (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{t.Code}/plans", new { planCode = "standard", effectiveFrom = "2026-08-01" })).EnsureSuccessStatusCode();
        }

        using var jobs = create(web);
        jobs.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        var runs = jobs.Services.GetRequiredService<JobRuns>();
        var catalogs = jobs.Services.GetRequiredService<IDbContextFactory<CatalogDbContext>>();
        async Task<List<(Guid TenantId, int Month, DateTimeOffset CreatedAt)>> ReportsAsync()
        {
            await using var catalog = await catalogs.CreateDbContextAsync();
            return [.. (await catalog.Set<UsageReport>().AsNoTracking().ToListAsync()).OrderBy(r => r.Month).ThenBy(r => r.TenantId).Select(r => (r.TenantId, r.Month, r.CreatedAt))];
        }

        await Eventually.UntilAsync(async () => runs.LastSuccess(RecurringJobs.UsageReports.Id) is not null && (await ReportsAsync()).Count == 8);
        var first = await ReportsAsync();
        var again = await jobs.Services.GetRequiredService<UsageReportsJob>().RunAsync(CancellationToken.None);
        var after = await ReportsAsync();

        Assert.Equal([202608, 202608, 202609, 202609, 202610, 202610, 202611, 202611], first.Select(r => r.Month));
        Assert.All(first.GroupBy(r => (r.TenantId, r.Month)), g => Assert.Single(g));
        Assert.Equal("no report due", again);
        Assert.Equal(first, after);
    }
}
