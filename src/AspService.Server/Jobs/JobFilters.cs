using System.Reflection;
using Hangfire;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;

namespace AspService.Server.Jobs;

/// <summary>
/// Refuses a job marked <see cref="TenantJobAttribute"/> that has no tenant id: its creation is cancelled on
/// the client, and a job that reaches a server anyway (older client, edited storage) fails permanently before
/// its body runs.
/// </summary>
public sealed class TenantJobFilter(ILogger<TenantJobFilter> logger) : IClientFilter, IServerFilter
{
    /// <summary>True when the job is tenant-scoped and lacks a non-empty <c>tenantId</c> argument (pure rule).</summary>
    public static bool LacksTenant(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Method.GetCustomAttribute<TenantJobAttribute>() is null)
        {
            return false;
        }

        var parameters = job.Method.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].Name == TenantJobAttribute.ArgumentName && parameters[i].ParameterType == typeof(Guid))
            {
                return i >= job.Args.Count || job.Args[i] is not Guid id || id == Guid.Empty;
            }
        }

        return true;
    }

    public void OnCreating(CreatingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (LacksTenant(context.Job))
        {
            logger.LogError("Refused to enqueue tenant job {Job} without a tenant id", Name(context.Job));
            context.Canceled = true;
        }
    }

    public void OnCreated(CreatedContext context)
    {
    }

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (LacksTenant(context.BackgroundJob.Job))
        {
            throw new PermanentJobException($"tenant job {Name(context.BackgroundJob.Job)} has no tenant id; refused");
        }
    }

    public void OnPerformed(PerformedContext context)
    {
    }

    internal static string Name(Job job) => job.Type.Name + "." + job.Method.Name;
}

/// <summary>
/// Retries failed jobs with growing delays, except permanent failures, which stay failed at once. Every
/// failure is counted; a failure that will not be retried is logged as an error with the job's tenant.
/// </summary>
public sealed class JobRetryFilter(int attempts, JobMetrics metrics, ILogger<JobRetryFilter> logger) : IElectStateFilter
{
    private readonly AutomaticRetryAttribute _retry = new()
    {
        Attempts = attempts,
        // 1, 5, 15, 30, 60 minutes…: long enough for a database to come back.
        DelayInSecondsByAttemptFunc = attempt => attempt switch
        {
            1 => 60,
            2 => 300,
            3 => 900,
            4 => 1800,
            _ => 3600,
        },
        OnAttemptsExceeded = AttemptsExceededAction.Fail,
        LogEvents = false,
    };

    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CandidateState is not FailedState failed)
        {
            return;
        }

        var job = context.BackgroundJob.Job;
        var kind = job is null ? "unknown" : TenantJobFilter.Name(job);
        var permanent = IsPermanent(failed.Exception);
        if (!permanent)
        {
            _retry.OnStateElection(context);
        }

        var final = context.CandidateState is FailedState;
        metrics.Failed(kind, final);
        if (final)
        {
            logger.LogError(failed.Exception, "Job {JobId} {Kind} for tenant {TenantId} failed permanently", context.BackgroundJob.Id, kind, TenantOf(job));
        }
        else
        {
            logger.LogWarning("Job {JobId} {Kind} for tenant {TenantId} failed; will retry", context.BackgroundJob.Id, kind, TenantOf(job));
        }
    }

    public static bool IsPermanent(Exception? ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is PermanentJobException)
            {
                return true;
            }
        }

        return false;
    }

    private static Guid? TenantOf(Job? job) => job?.Args.OfType<Guid>().FirstOrDefault() is { } id && id != Guid.Empty ? id : null;
}
