using System.Net.Http.Json;
using AspService.Data.Catalog;
using AspService.Data.Identity;
using AspService.Data.Tenancy;
using AspService.Server.Tenancy;
using AspService.Server.Tenancy.Provisioning;
using AspService.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace AspService.Tests.Tenancy;

/// <summary>Provisioning is a resumable sequence: a crash after any step's work resumes to the same end state.</summary>
public abstract class ProvisioningTests
{
    protected abstract AppFactory App { get; }

    public static TheoryData<string> ProvisionSteps => ["create-database", "migrate", "seed-defaults", "invite-first-admin", "register-oidc-clients"];

    [Theory]
    [MemberData(nameof(ProvisionSteps))]
    public async Task Provision_CrashAfterStepWork_ResumesToSameState(string crashingStep)
    {
        var ops = await App.OperatorClientAsync();
        var reference = await App.OnboardTenantAsync(ops);
        var lg = AppFactory.FreshMunicipality();
        var accepted = await ops.PostAsJsonAsync("/api/v1/ops/tenants", new { code = lg.Code, adminEmail = "x@y.example" });
        var tenant = (await accepted.Content.ReadFromJsonAsync<TenantDto>(AppFactory.Json))!;

        // The step's work is done, then the process "dies" before the catalog records the step.
        var crashing = Runner(step => step.Name == crashingStep ? new CrashAfterWork(step) : step);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.RunAsync(tenant.Id, TenantOperations.Provision, CancellationToken.None));
        Assert.Equal(TenantState.Provisioning, (await TenantAsync(tenant.Id)).State);

        var outcome = await Runner(s => s).RunAsync(tenant.Id, TenantOperations.Provision, CancellationToken.None);

        Assert.Equal(OperationOutcome.Completed, outcome);
        Assert.Equal(await SnapshotAsync(reference.Id), await SnapshotAsync(tenant.Id));
    }

    /// <summary>
    /// The first admin's account was saved but the process died before its role was (two saves, as it once was): the
    /// resumed provisioning gives the account its role, and the tenant has an administrator like any other.
    /// </summary>
    [Fact]
    public async Task Provision_CrashBetweenAccountAndRole_ResumesWithAnAdministrator()
    {
        var ops = await App.OperatorClientAsync();
        var reference = await App.OnboardTenantAsync(ops);
        var lg = AppFactory.FreshMunicipality();
        var accepted = await ops.PostAsJsonAsync("/api/v1/ops/tenants", new { code = lg.Code, adminEmail = "first@" + lg.Code + ".lg.example" });
        var tenant = (await accepted.Content.ReadFromJsonAsync<TenantDto>(AppFactory.Json))!;

        var crashing = Runner(step => step.Name == "invite-first-admin" ? new AccountWithoutRole(App) : step);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.RunAsync(tenant.Id, TenantOperations.Provision, CancellationToken.None));

        Assert.Equal(OperationOutcome.Completed, await Runner(s => s).RunAsync(tenant.Id, TenantOperations.Provision, CancellationToken.None));
        Assert.Equal(await SnapshotAsync(reference.Id), await SnapshotAsync(tenant.Id));
    }

    [Fact]
    public async Task Provision_RunTwice_NoDuplicates()
    {
        var ops = await App.OperatorClientAsync();
        var tenant = await App.OnboardTenantAsync(ops);

        var again = await Runner(s => s).RunAsync(tenant.Id, TenantOperations.Provision, CancellationToken.None);

        Assert.Equal(OperationOutcome.NotApplicable, again);
        Assert.Equal(Runner(s => s).StepNames(TenantOperations.Provision).Count, (await SnapshotAsync(tenant.Id)).Steps.Count);
    }

    private TenantOperationRunner Runner(Func<ITenantStep, ITenantStep> wrap) => new(
        App.Services.GetServices<ITenantStep>().Select(wrap),
        App.Services.GetRequiredService<IDbContextFactory<CatalogDbContext>>(),
        App.Clock,
        NullLogger<TenantOperationRunner>.Instance,
        App.Services.GetRequiredService<AspService.Server.Observability.ServiceMetrics>());

    private async Task<Tenant> TenantAsync(Guid id)
    {
        await using var catalog = await App.Services.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync();
        return await catalog.Tenants.AsNoTracking().SingleAsync(t => t.Id == id);
    }

    /// <summary>What a provisioned tenant consists of, without ids that differ between tenants.</summary>
    private async Task<Snapshot> SnapshotAsync(Guid id)
    {
        var tenant = await TenantAsync(id);
        await using var catalog = await App.Services.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync();
        var steps = await catalog.TenantOperationSteps.Where(s => s.TenantId == id).OrderBy(s => s.Step).Select(s => s.Operation + "/" + s.Step).ToListAsync();
        await using var db = App.Services.GetRequiredService<TenantDbContextFactory>().Create(new TenantBinding(id, tenant.Code, tenant.DatabaseName));
        var info = await db.TenantInfo.ToListAsync();
        Assert.Equal(id, Assert.Single(info).TenantId);
        var settings = await db.Settings.OrderBy(s => s.Key).Select(s => s.Key + "=" + s.Value).ToListAsync();
        var migrations = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        migrations.Add("users=" + await db.Users.CountAsync()); // the first admin is invited exactly once
        migrations.Add("admins=" + await db.UserRoles.CountAsync(r => db.Roles.Any(x => x.Id == r.RoleId && x.Name == TenantRoles.Admin)));
        migrations.Add("oidc-clients=" + await db.Set<OpenIddictEntityFrameworkCoreApplication<Guid>>().CountAsync());
        return new Snapshot(tenant.State, tenant.SchemaVersion, string.Join(",", steps), steps, string.Join(",", settings), string.Join(",", migrations));
    }

    private sealed record Snapshot(TenantState State, string? Schema, string StepList, List<string> Steps, string Settings, string Migrations)
    {
        public bool Equals(Snapshot? other) => other is not null && State == other.State && Schema == other.Schema
            && StepList == other.StepList && Settings == other.Settings && Migrations == other.Migrations;

        public override int GetHashCode() => HashCode.Combine(State, Schema, StepList, Settings, Migrations);
    }

    private sealed class CrashAfterWork(ITenantStep inner) : ITenantStep
    {
        public string Operation => inner.Operation;

        public string Name => inner.Name;

        public int Order => inner.Order;

        public async Task RunAsync(Tenant tenant, TenantBinding binding, CancellationToken ct)
        {
            await inner.RunAsync(tenant, binding, ct);
            throw new SimulatedCrashException();
        }
    }

    /// <summary>The first save of the first admin (the account, no role), then the crash.</summary>
    private sealed class AccountWithoutRole(AppFactory app) : ITenantStep
    {
        public string Operation => TenantOperations.Provision;

        public string Name => "invite-first-admin";

        public int Order => 400;

        public async Task RunAsync(Tenant tenant, TenantBinding binding, CancellationToken ct)
        {
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantAccessor>().Set(binding);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<TenantUser>>();
            var created = await users.CreateAsync(new TenantUser
            {
                Id = Guid.CreateVersion7(), UserName = tenant.AdminEmail, Email = tenant.AdminEmail, DisplayName = "管理者",
                CreatedAt = app.Clock.GetUtcNow(), LockoutEnabled = true,
            });
            Assert.True(created.Succeeded);
            throw new SimulatedCrashException();
        }
    }

    private sealed class SimulatedCrashException : Exception;
}

public sealed class ProvisioningSqliteTests(SqliteHost host) : ProvisioningTests, IClassFixture<SqliteHost>
{
    protected override AppFactory App => host.App;
}

[Collection(PostgresGroup.Name)]
public sealed class ProvisioningPostgresTests(PostgresCluster cluster) : ProvisioningTests
{
    protected override AppFactory App => cluster.App;
}
