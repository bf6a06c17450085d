using AspService.Data.TenantData;
using AspService.Server.Hosting;
using AspService.Server.Jobs;
using AspService.Server.Tenancy.Provisioning;

namespace AspService.Server.Tenancy;

/// <summary>
/// Tenancy: the request's tenant binding and its database, the lifecycle (onboarding, signups, suspend/resume,
/// decommission) with its provisioning steps and the recurring tenant-operations job, and the operator, signup and
/// tenant-self routes.
/// </summary>
public sealed class TenancyModule : IModule
{
    public void Add(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<TenancyOptions>().BindConfiguration(TenancyOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // The accessor is per scope; the tenant DbContext only exists once a tenant is resolved.
        services.AddScoped<TenantAccessor>();
        services.AddSingleton<TenantDbContextFactory>();
        services.AddScoped<TenantDbContext>(sp => sp.GetRequiredService<TenantDbContextFactory>().Create(sp.GetRequiredService<TenantAccessor>().Required));
        services.AddSingleton<TenantDatabases>();
        services.AddSingleton<TenantArchiveWriter>();
        services.AddSingleton<TenantWorkSignal>();
        services.AddSingleton<ITenantStep, CreateDatabaseStep>();
        services.AddSingleton<ITenantStep, MigrateDatabaseStep>();
        services.AddSingleton<ITenantStep, SeedDefaultsStep>();
        services.AddSingleton<ITenantStep, ExportArchiveStep>();
        services.AddSingleton<ITenantStep, DropDatabaseStep>();
        services.AddSingleton<TenantOperationRunner>();
        services.AddSingleton<TenantWorker>();
        services.AddScoped<TenantOnboarding>();
        services.AddScoped<TenantLifecycleActions>();
        services.AddScoped<Signups>();
        services.AddScoped<ApplicantMail>();
        services.AddScoped<TenantEgressSettings>();
        services.AddSingleton<TenantMigrations>();

        // Unfinished provisioning is caught up at every start of the jobs role, and run at once when work is queued.
        services.AddRecurringJob<TenantOperationsJob>(RecurringJobs.TenantOperations, o => o.TenantOperationsCron,
            j => j.RunAsync(CancellationToken.None), catchUpOnStart: true);
        services.AddHostedService<TenantWorkEnqueuer>();
    }

    public void MapWeb(IEndpointRouteBuilder app)
    {
        app.MapOpsTenantEndpoints();
        app.MapSignupEndpoints();
        app.MapTenantSelfEndpoints();
    }
}
