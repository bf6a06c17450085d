using AspService.Data;
using AspService.Server.Jobs.Work;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Common;
using Microsoft.Extensions.Options;

namespace AspService.Server.Jobs;

public static class JobsRegistration
{
    /// <summary>
    /// Hangfire without its global configuration: storage, filters and activator are this host's own
    /// singletons, so two hosts in one process (tests) never share a queue or a service provider.
    /// Every role can enqueue and serve the dashboard; only the jobs role runs a server.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations()
            .Validate(o => RecurringJobs.All.Count > 0 && Cron(o).All(c => !string.IsNullOrWhiteSpace(c)), "Jobs cron expressions must not be empty")
            .ValidateOnStart();

        services.AddSingleton(sp => JobStorageFactory.Create(sp.GetRequiredService<DatabaseProviders>(), sp.GetRequiredService<IOptions<JobsOptions>>().Value));
        services.AddSingleton<TenantJobFilter>();
        services.AddSingleton(sp => new JobRetryFilter(sp.GetRequiredService<IOptions<JobsOptions>>().Value.RetryAttempts,
            sp.GetRequiredService<JobMetrics>(), sp.GetRequiredService<ILogger<JobRetryFilter>>()));
        services.AddSingleton<IJobFilterProvider>(sp =>
        {
            var filters = new JobFilterCollection
            {
                sp.GetRequiredService<TenantJobFilter>(),
                sp.GetRequiredService<JobRetryFilter>(),
            };
            return new JobFilterProviderCollection(filters, new JobFilterAttributeFilterProvider());
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(sp.GetRequiredService<JobStorage>(), sp.GetRequiredService<IJobFilterProvider>()));
        services.AddSingleton<IRecurringJobManager>(sp => new RecurringJobManager(sp.GetRequiredService<JobStorage>(), sp.GetRequiredService<IJobFilterProvider>()));

        services.AddSingleton<JobRuns>();
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<JobLocks>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<ReapingJob>();
        services.AddSingleton<LinkReapingJob>();
        services.AddSingleton<AuditSweepJob>();
        services.AddSingleton<AuditVerifyJob>();

        services.AddHostedService<JobsServerHost>();
        // Jobs queued before their classes moved out of Jobs/Work into their features still find them.
        TypeHelper.CurrentTypeResolver = JobTypeAliases.Resolve;
        services.AddHealthChecks().AddCheck<JobsHealthCheck>("jobs", tags: ["ready"]);
        return services;
    }

    private static IEnumerable<string> Cron(JobsOptions o) => [o.TenantOperationsCron, o.MonthlyCloseCron, o.ReapingCron, o.AuditSweepCron, o.UsageRollupCron, o.CertificateRotationCron, o.UsageReportsCron, o.StripeSyncCron];
}
