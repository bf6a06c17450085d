using AspService.Billing;
using AspService.Server.Audit;
using AspService.Server.Billing;
using AspService.Server.Billing.Stripe;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AspService.Tests.Billing;

/// <summary>Billing's use cases called directly (no HTTP): their failures carry the codes and statuses the API answers with.</summary>
public sealed class BillingUseCaseTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private static readonly Actor Operator = new(Guid.NewGuid(), "192.0.2.10");

    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task MonthlyClose_RunningMonth_IsRefused()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var month = BillingMonth.Of(_app.Clock.GetUtcNow());

        var outcome = await scope.ServiceProvider.GetRequiredService<MonthlyClose>().CloseAsync(new CloseMonthCommand(month), Operator, CancellationToken.None);

        Assert.True(outcome.Failure!.Is(MonthlyClose.MonthNotEnded));
        Assert.Equal(409, outcome.Failure.Status);
    }

    [Fact]
    public async Task PlanAdmin_BadCodeAndUnknownPlan_AreFailures()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var plans = scope.ServiceProvider.GetRequiredService<PlanAdmin>();
        var request = new PlanAdmin.PlanRequest("Not Valid", "Standard", new DateOnly(2026, 4, 1), null, 1000, 100, 10, 10, 100, null);

        var created = await plans.CreateAsync(request, CancellationToken.None);
        var updated = await plans.UpdateAsync(Guid.NewGuid(), request with { Code = null, Version = 1 }, CancellationToken.None);
        var deleted = await plans.DeleteAsync(Guid.NewGuid(), CancellationToken.None);

        Assert.True(created.Failure!.Is("invalid-request"));
        Assert.Contains("code", created.Failure.Fields!.Keys);
        Assert.True(updated.Failure!.Is("not-found"));
        Assert.True(deleted.Failure!.Is("not-found"));
    }

    [Fact]
    public async Task PlanAdmin_AssignToUnknownTenant_IsTenantNotFound()
    {
        await using var scope = _app.Services.CreateAsyncScope();

        var outcome = await scope.ServiceProvider.GetRequiredService<PlanAdmin>()
            .AssignAsync(AppFactory.NeverOnboarded, new PlanAdmin.AssignRequest("standard", new DateOnly(2026, 4, 1)), CancellationToken.None);

        Assert.True(outcome.Failure!.Is("tenant-not-found"));
        Assert.Equal(404, outcome.Failure.Status);
    }

    [Fact]
    public async Task InvoiceCorrection_UnknownInvoice_IsNotFound()
    {
        await using var scope = _app.Services.CreateAsyncScope();

        var outcome = await scope.ServiceProvider.GetRequiredService<InvoiceCorrection>()
            .CorrectAsync(Guid.NewGuid(), new InvoiceCorrection.Request(null), CancellationToken.None);

        Assert.True(outcome.Failure!.Is("not-found"));
    }

    [Fact]
    public async Task StripeSettings_WithoutEnabled_IsAFieldFailure()
    {
        await using var scope = _app.Services.CreateAsyncScope();

        var outcome = await scope.ServiceProvider.GetRequiredService<StripeSettings>()
            .SetAsync(AppFactory.NeverOnboarded, new StripeSettings.SettingsRequest(null, null), CancellationToken.None);

        Assert.True(outcome.Failure!.Is("invalid-request"));
        Assert.Contains("enabled", outcome.Failure.Fields!.Keys);
    }

    [Fact]
    public async Task StripeEvents_OversizedOrUnconfigured_IsRefusedWithoutChange()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var configured = !string.IsNullOrEmpty(scope.ServiceProvider.GetRequiredService<IOptions<StripeOptions>>().Value.WebhookSecret);

        var outcome = await scope.ServiceProvider.GetRequiredService<StripeEvents>()
            .HandleAsync(new StripeEvents.Delivery(null, "t=1,v1=00"), CancellationToken.None);

        Assert.True(outcome.Failure!.Is(configured ? "stripe-event-too-large" : "stripe-webhook-not-configured"));
        Assert.Equal(configured ? 413 : 503, outcome.Failure.Status);
    }
}
