using System.Net.Http.Json;
using AspService.Data.Catalog;
using AspService.Data.Identity;
using AspService.Data.Tenancy;
using AspService.Server.Audit;
using AspService.Server.Billing;
using AspService.Server.Jobs;
using AspService.Server.Jobs.Work;
using AspService.Server.Tenancy.Provisioning;
using AspService.Server.Tenancy;
using AspService.Tenancy;
using AspService.Tests.Billing;
using AspService.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AspService.Tests.Jobs;

/// <summary>
/// Job scenarios run on both storages (embedded in-memory with SQLite, PostgreSQL storage on the test cluster).
/// Job bodies run directly for determinism; a real BackgroundJobServer runs where the queue itself is tested.
/// </summary>
internal static class JobScenarios
{
    public static Dictionary<string, string?> Settings(bool jobsRole = false)
    {
        var settings = BillingApiTests.Settings();
        settings["Jobs:LockWait"] = "00:00:00.200";
        if (jobsRole)
        {
            settings["Server:Roles"] = "web,jobs";
        }

        return settings;
    }

    public static async Task RunEveryJobTwice_SameStateAsOnceAsync(AppFactory app)
    {
        var ops = await app.OperatorClientAsync();
        await CreatePlanAsync(ops);
        var tenant = await app.OnboardTenantAsync(ops);
        (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{tenant.Code}/plans", new { planCode = "standard", effectiveFrom = "2026-09-01" })).EnsureSuccessStatusCode();
        var pending = AppFactory.FreshMunicipality();
        (await ops.PostAsJsonAsync("/api/v1/ops/tenants", new { code = pending.Code, adminEmail = "admin@" + pending.Code + ".lg.example" })).EnsureSuccessStatusCode();
        var binding = app.Binding(tenant);
        var expiredLink = await AddLinkAsync(app, binding, app.Clock.GetUtcNow().AddHours(-1));
        var liveLink = await AddLinkAsync(app, binding, app.Clock.GetUtcNow().AddHours(5));
        await WriteAuditAsync(app, binding, 3);
        var services = app.Services;

        async Task<string> RunAllAsync()
        {
            await services.GetRequiredService<TenantOperationsJob>().RunAsync(CancellationToken.None);
            await services.GetRequiredService<MonthlyCloseJob>().RunAsync(CancellationToken.None);
            await services.GetRequiredService<ReapingJob>().RunAsync(CancellationToken.None);
            await services.GetRequiredService<LinkReapingJob>().RunAsync(tenant.Id, CancellationToken.None);
            await services.GetRequiredService<AuditSweepJob>().RunAsync(CancellationToken.None);
            await services.GetRequiredService<AuditVerifyJob>().RunAsync(tenant.Id, CancellationToken.None);
            return await SnapshotAsync(app, binding);
        }

        var once = await RunAllAsync();
        var twice = await RunAllAsync();

        Assert.Equal(once, twice);
        Assert.Contains(liveLink.ToString(), once, StringComparison.Ordinal);
        Assert.DoesNotContain(expiredLink.ToString(), once, StringComparison.Ordinal);
        Assert.Contains("closes:202609=1,202610=1", once, StringComparison.Ordinal);
        Assert.Contains(pending.Code + "=Active", once, StringComparison.Ordinal);
        Assert.Empty(services.GetRequiredService<JobRuns>().BrokenAuditChains());
    }

    public static async Task AuditSweep_BrokenChain_ReportedOnceAndClearedWhenWholeAsync(AppFactory app)
    {
        var ops = await app.OperatorClientAsync();
        var tenant = await app.OnboardTenantAsync(ops);
        var binding = app.Binding(tenant);
        await WriteAuditAsync(app, binding, 3);
        var job = app.Services.GetRequiredService<AuditVerifyJob>();
        var runs = app.Services.GetRequiredService<JobRuns>();
        await using (var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding))
        {
            await db.AuditLog.OrderByDescending(a => a.Sequence).Take(1).ExecuteUpdateAsync(s => s.SetProperty(a => a.Detail, "tampered"));
        }

        var first = await job.RunAsync(tenant.Id, CancellationToken.None);
        var second = await job.RunAsync(tenant.Id, CancellationToken.None);

        Assert.StartsWith("BROKEN", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
        Assert.Equal(1, runs.BrokenAuditChains().Count(id => id == tenant.Id));
    }

    public static async Task TenantJob_WithoutTenant_RefusedAndTenantDataUntouchedAsync(AppFactory app)
    {
        var (tenant, binding, expired) = await TenantWithExpiredLinkAsync(app);
        var storage = app.Services.GetRequiredService<JobStorage>();

        // The application's client refuses to create it at all.
        var refused = app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<LinkReapingJob>(j => j.RunAsync(Guid.Empty, CancellationToken.None));
        // A client without the filter (an older node, an edited queue) gets it into storage; the server refuses to run it.
        var sneaked = new BackgroundJobClient(storage).Enqueue<LinkReapingJob>(j => j.RunAsync(Guid.Empty, CancellationToken.None));
        var state = await WaitForFinalStateAsync(storage, sneaked);
        var details = storage.GetMonitoringApi().JobDetails(sneaked);
        // Run directly, the body refuses too.
        await Assert.ThrowsAsync<PermanentJobException>(() => app.Services.GetRequiredService<LinkReapingJob>().RunAsync(Guid.Empty, CancellationToken.None));

        Assert.Null(refused);
        Assert.Equal("Failed", state);
        Assert.Contains("refused", details.History[0].Data["ExceptionMessage"], StringComparison.Ordinal);
        Assert.DoesNotContain(details.History, h => h.StateName == "Scheduled");
        Assert.Contains(expired, await LinkIdsAsync(app, binding));
    }

    public static async Task TenantJob_SameTenantLockHeld_SecondRunStaysOutAsync(AppFactory app)
    {
        var (tenant, binding, expired) = await TenantWithExpiredLinkAsync(app);
        var locks = app.Services.GetRequiredService<JobLocks>();

        string outcome;
        using (var held = locks.TryAcquire($"{LinkReapingJob.Kind}:{tenant.Id:N}"))
        {
            Assert.NotNull(held);
            outcome = await app.Services.GetRequiredService<LinkReapingJob>().RunAsync(tenant.Id, CancellationToken.None);
            Assert.Contains(expired, await LinkIdsAsync(app, binding));
        }

        var after = await app.Services.GetRequiredService<LinkReapingJob>().RunAsync(tenant.Id, CancellationToken.None);

        Assert.StartsWith("skipped", outcome, StringComparison.Ordinal);
        Assert.Equal("1 expired links removed", after);
        Assert.DoesNotContain(expired, await LinkIdsAsync(app, binding));
    }

    /// <summary>
    /// The jobs role was down across several month ends; when it comes back its start-up catch-up closes each
    /// missed month once, and a later run closes nothing more.
    /// </summary>
    public static async Task MissedMonths_JobsRoleComesBack_EachClosedExactlyOnceAsync(Func<AppFactory?, AppFactory> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        using var web = create(null);
        var ops = await web.OperatorClientAsync();
        await CreatePlanAsync(ops);
        var tenants = new[] { await web.OnboardTenantAsync(ops), await web.OnboardTenantAsync(ops) };
        foreach (var t in tenants)
        {
            (await ops.PostAsJsonAsync($"/api/v1/ops/billing/tenants/{t.Code}/plans", new { planCode = "standard", effectiveFrom = "2026-08-01" })).EnsureSuccessStatusCode();
        }

        using var jobs = create(web);
        jobs.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero)); // 09:00 JST on 2 December
        var runs = jobs.Services.GetRequiredService<JobRuns>(); // starts the host, the jobs role and its catch-up run
        await WaitUntilAsync(() => runs.LastSuccess(RecurringJobs.MonthlyClose.Id) is not null);
        var again = await jobs.Services.GetRequiredService<MonthlyCloseJob>().RunAsync(CancellationToken.None);

        await using var catalog = await jobs.Services.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync();
        var closes = await catalog.BillingCloses.OrderBy(c => c.Month).Select(c => c.Month).ToListAsync();
        var ids = tenants.Select(t => t.Id).ToList();
        var invoices = await catalog.Invoices.Where(i => ids.Contains(i.TenantId)).GroupBy(i => new { i.Month, i.TenantId }).Select(g => g.Count()).ToListAsync();

        Assert.Equal([202608, 202609, 202610, 202611], closes);
        Assert.Equal(8, invoices.Count);
        Assert.All(invoices, count => Assert.Equal(1, count));
        Assert.Equal("no month due", again);
    }

    private static async Task<(Server.Tenancy.TenantDto Tenant, TenantBinding Binding, Guid ExpiredLink)> TenantWithExpiredLinkAsync(AppFactory app)
    {
        var tenant = await app.OnboardTenantAsync(await app.OperatorClientAsync());
        var binding = app.Binding(tenant);
        return (tenant, binding, await AddLinkAsync(app, binding, app.Clock.GetUtcNow().AddHours(-1)));
    }

    public static async Task CreatePlanAsync(HttpClient ops) =>
        (await ops.PostAsJsonAsync("/api/v1/ops/billing/plans", new
        {
            code = "standard", name = "標準", effectiveFrom = "2026-01-01", baseFee = 30000, perOfficeTerminal = 1500,
            perActiveUser = 800, includedSessionHours = 100, perExtraHour = 200,
        })).EnsureSuccessStatusCode();

    public static async Task<Guid> AddLinkAsync(AppFactory app, TenantBinding binding, DateTimeOffset expiresAt)
    {
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding);
        var id = Guid.NewGuid();
        db.LinkTokens.Add(new UserLinkToken
        {
            Id = id,
            UserId = Guid.NewGuid(),
            Purpose = LinkPurpose.Invitation,
            TokenHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
            CreatedAt = expiresAt.AddHours(-72),
            ExpiresAt = expiresAt,
        });
        await db.SaveChangesAsync();
        return id;
    }

    public static async Task<List<Guid>> LinkIdsAsync(AppFactory app, TenantBinding binding)
    {
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding);
        return await db.LinkTokens.OrderBy(l => l.Id).Select(l => l.Id).ToListAsync();
    }

    public static async Task WriteAuditAsync(AppFactory app, TenantBinding binding, int rows)
    {
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding);
        var log = new AuditLog(db, app.Clock, NullLogger<AuditLog>.Instance);
        for (var i = 0; i < rows; i++)
        {
            await log.WriteAsync("test.action", AuditLog.System, "subject-" + i);
        }
    }

    /// <summary>Everything the jobs may change, as text: links, audit rows, tenant states and steps, closes and invoices.</summary>
    private static async Task<string> SnapshotAsync(AppFactory app, TenantBinding binding)
    {
        var links = string.Join(",", await LinkIdsAsync(app, binding));
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(binding);
        var audit = await db.AuditLog.CountAsync();
        await using var catalog = await app.Services.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync();
        var tenants = string.Join(",", (await catalog.Tenants.OrderBy(t => t.Code).Select(t => new { t.Code, t.State }).ToListAsync()).Select(t => $"{t.Code}={t.State}"));
        var steps = await catalog.TenantOperationSteps.CountAsync();
        var closes = string.Join(",", (await catalog.BillingCloses.OrderBy(c => c.Month).ToListAsync()).Select(c => $"{c.Month}={c.InvoiceCount}"));
        var invoices = string.Join(",", await catalog.Invoices.OrderBy(i => i.SequenceNumber).Select(i => i.Number).ToListAsync());
        return $"links:{links}\naudit:{audit}\ntenants:{tenants}\nsteps:{steps}\ncloses:{closes}\ninvoices:{invoices}";
    }

    public static async Task<string> WaitForFinalStateAsync(JobStorage storage, string jobId)
    {
        string? state = null;
        await WaitUntilAsync(() =>
        {
            using var connection = storage.GetConnection();
            state = connection.GetStateData(jobId)?.Name;
            return state is "Succeeded" or "Failed" or "Deleted";
        });
        return state!;
    }

    /// <summary>A bounded wait for a job to finish on the real server.</summary>
    public static Task WaitUntilAsync(Func<bool> done) => Eventually.UntilAsync(done);
}
