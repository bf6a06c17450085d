using System.Linq.Expressions;

namespace AspService.Server.Jobs;

/// <summary>How a feature module adds a recurring kind of its own: the job class (a singleton) and its schedule.</summary>
public static class RecurringJobRegistration
{
    public static IServiceCollection AddRecurringJob<TJob>(this IServiceCollection services, RecurringKind kind, Func<JobsOptions, string> cron,
        Expression<Func<TJob, Task>> run, bool catchUpOnStart = false)
        where TJob : class
    {
        services.AddSingleton<TJob>();
        services.AddSingleton(RecurringJobDefinition.Of(kind, cron, run, catchUpOnStart));
        return services;
    }
}
