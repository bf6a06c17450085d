using AspService.Server.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AspService.Server.Jobs;

/// <summary>
/// /readyz in a jobs process: unhealthy when a recurring kind has not succeeded for more than twice its
/// period. Processes without the jobs role report healthy (they run no recurring work).
/// </summary>
internal sealed class JobsHealthCheck(IServiceProvider services, IOptions<ServerOptions> server) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!server.Value.ParsedRoles.HasFlag(ServerRoles.Jobs))
        {
            return Task.FromResult(HealthCheckResult.Healthy("not a jobs process"));
        }

        var runs = services.GetRequiredService<JobRuns>();
        var overdue = RecurringJobs.All.Where(k => RecurringJobs.IsOverdue(runs.Age(k.Id), k.Period)).Select(k => k.Id).ToList();
        return Task.FromResult(overdue.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("no recent success: " + string.Join(", ", overdue)));
    }
}
