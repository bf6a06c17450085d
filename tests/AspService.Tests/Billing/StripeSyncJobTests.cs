using AspService.Server.Billing.Stripe;
using AspService.Server.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Billing;

/// <summary>The daily stripe-sync job against <see cref="StripeStandIn"/>: idempotent across runs, 5xx retried, 4xx not.</summary>
public sealed class StripeSyncJobTests : IAsyncLifetime
{
    private StripeKit _kit = null!;

    public async Task InitializeAsync() => _kit = await StripeKit.StartAsync();

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    private StripeStandIn Stripe => _kit.Stripe;

    private int Posts(string path) => Stripe.Requests.Count(r => r.Method == "POST" && r.Path.StartsWith(path, StringComparison.Ordinal) && r.Status < 300);

    private Task<string> RunTenantAsync(Guid tenantId) =>
        _kit.App.Services.GetRequiredService<StripeSyncTenantJob>().RunAsync(tenantId, CancellationToken.None);

    [Fact]
    public async Task TwoRuns_EachStripeStepOnce_SecondRunNothingToSync()
    {
        var (ops, tenant) = await _kit.ClosedTenantAsync();
        var (_, disabled) = await _kit.ClosedTenantAsync(ops, enable: false);

        var fanOut = await _kit.App.Services.GetRequiredService<StripeSyncJob>().RunAsync(CancellationToken.None);
        var first = await RunTenantAsync(tenant.Id);
        var requests = Stripe.Requests.Count;
        var fanOutAgain = await _kit.App.Services.GetRequiredService<StripeSyncJob>().RunAsync(CancellationToken.None);
        var second = await RunTenantAsync(tenant.Id);
        var other = await RunTenantAsync(disabled.Id);

        Assert.Equal("1 tenants queued for Stripe sync", fanOut);
        Assert.Equal(fanOut, fanOutAgain);
        Assert.Equal("synced 2026-10 Synced", first);
        Assert.Equal("nothing to sync", second);
        Assert.Equal(requests, Stripe.Requests.Count);
        Assert.Equal(1, Posts("/v1/customers"));
        Assert.Equal(1, Stripe.Requests.Count(r => r.Method == "POST" && r.Path == "/v1/invoices" && r.Status < 300));
        Assert.Single(Stripe.Invoices);
        Assert.Equal(3, Stripe.MeterEvents.Count);
        Assert.Equal(1, Stripe.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/finalize", StringComparison.Ordinal)));
        Assert.Equal("skipped: Stripe not enabled for the tenant", other);
    }

    [Fact]
    public async Task Stripe5xx_JobFailsRetryable_NextRunCompletes()
    {
        var (_, tenant) = await _kit.ClosedTenantAsync();
        Stripe.Fail("POST", "/v1/customers", StripeStandIn.Failure.RejectBeforeProcessing, status: 500, shouldRetry: false);

        var failed = await Assert.ThrowsAnyAsync<Exception>(() => RunTenantAsync(tenant.Id));
        var retried = await RunTenantAsync(tenant.Id);

        Assert.False(JobRetryFilter.IsPermanent(failed));
        Assert.Equal("synced 2026-10 Synced", retried);
        Assert.Single(Stripe.Invoices);
    }

    [Fact]
    public async Task Stripe4xx_PermanentFailure_NotRetried()
    {
        var (_, tenant) = await _kit.ClosedTenantAsync();
        Stripe.Fail("POST", "/v1/customers", StripeStandIn.Failure.RejectBeforeProcessing, status: 400, code: "email_invalid", times: 10);

        var failed = await Assert.ThrowsAsync<PermanentJobException>(() => RunTenantAsync(tenant.Id));

        Assert.True(JobRetryFilter.IsPermanent(failed));
        Assert.Contains("2026-10", failed.Message, StringComparison.Ordinal);
        Assert.Equal(1, Stripe.Requests.Count(r => r.Method == "POST" && r.Path == "/v1/customers"));
        Assert.Empty(Stripe.Invoices);
    }
}
