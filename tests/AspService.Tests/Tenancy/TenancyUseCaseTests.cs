using AspService.Data.Tenancy;
using AspService.Server.Audit;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Tenancy;

/// <summary>Tenancy's use cases called directly (no HTTP): their failures carry the codes, statuses and fields the API answers with.</summary>
public sealed class TenancyUseCaseTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private static readonly Actor Operator = new(Guid.NewGuid(), "192.0.2.10");

    private readonly AppFactory _app = host.App;

    [Fact]
    public async Task Lifecycle_IllegalTransition_IsA409StateFailure()
    {
        var tenant = await OnboardActiveAsync();
        await using var scope = _app.Services.CreateAsyncScope();

        var outcome = await scope.ServiceProvider.GetRequiredService<TenantLifecycleActions>().ResumeAsync(tenant.Code, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.Failure!.Is("invalid-request"));
        Assert.Equal(409, outcome.Failure.Status);
        Assert.Contains("state", outcome.Failure.Fields!.Keys);
    }

    [Fact]
    public async Task Lifecycle_UnknownTenant_IsTenantNotFound()
    {
        await using var scope = _app.Services.CreateAsyncScope();

        var outcome = await scope.ServiceProvider.GetRequiredService<TenantLifecycleActions>()
            .SuspendAsync(AppFactory.NeverOnboarded, new TenantLifecycleActions.SuspendRequest("unpaid"), CancellationToken.None);

        Assert.True(outcome.Failure!.Is("tenant-not-found"));
        Assert.Equal(404, outcome.Failure.Status);
    }

    [Fact]
    public async Task Onboarding_BadCode_IsAFieldFailure()
    {
        await using var scope = _app.Services.CreateAsyncScope();

        var outcome = await scope.ServiceProvider.GetRequiredService<TenantOnboarding>()
            .OnboardAsync(new TenantOnboarding.Request("12345", "admin@city.example", null), CancellationToken.None);

        Assert.True(outcome.Failure!.Is("invalid-request"));
        Assert.Equal(400, outcome.Failure.Status);
        Assert.Contains("code", outcome.Failure.Fields!.Keys);
    }

    [Fact]
    public async Task Signups_DecidedApplication_CannotBeApproved()
    {
        var lg = AppFactory.FreshMunicipality();
        await using var scope = _app.Services.CreateAsyncScope();
        var signups = scope.ServiceProvider.GetRequiredService<Signups>();
        var start = DateOnly.FromDateTime(_app.Clock.GetUtcNow().UtcDateTime).AddDays(30);
        var submitted = await signups.SubmitAsync(
            new Signups.SubmitRequest(lg.Code, "情報政策課", "山田 太郎", $"it-{Guid.NewGuid():N}@city.example", "03-1234-5678", start), CancellationToken.None);
        var rejected = await signups.RejectAsync(submitted.Value!.Id, new Signups.RejectRequest("duplicate"), Operator, CancellationToken.None);

        var approved = await signups.ApproveAsync(submitted.Value.Id, Operator, CancellationToken.None);

        Assert.Equal(ApplicationState.Rejected, rejected.Value!.State);
        Assert.True(approved.Failure!.Is("invalid-request"));
        Assert.Equal(409, approved.Failure.Status);
        Assert.Contains("state", approved.Failure.Fields!.Keys);
    }

    [Fact]
    public async Task Signups_UnknownApplication_IsNotFound()
    {
        await using var scope = _app.Services.CreateAsyncScope();

        var outcome = await scope.ServiceProvider.GetRequiredService<Signups>().ApproveAsync(Guid.NewGuid(), Operator, CancellationToken.None);

        Assert.True(outcome.Failure!.Is("not-found"));
    }

    [Fact]
    public async Task Egress_TooWideNetwork_IsAFieldFailure_AndNothingIsStored()
    {
        var tenant = await OnboardActiveAsync();
        await using var scope = _app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(_app.Binding(tenant));
        var egress = scope.ServiceProvider.GetRequiredService<TenantEgressSettings>();

        var outcome = await egress.SetAsync(new EgressView(["10.0.0.0/8"]), Operator, CancellationToken.None);

        Assert.True(outcome.Failure!.Is("invalid-request"));
        Assert.Contains("networks[0]", outcome.Failure.Fields!.Keys);
        Assert.Empty((await egress.GetAsync(CancellationToken.None)).Networks!);
    }

    private async Task<TenantDto> OnboardActiveAsync()
    {
        var ops = await _app.OperatorClientAsync();
        return await _app.OnboardTenantAsync(ops);
    }
}
