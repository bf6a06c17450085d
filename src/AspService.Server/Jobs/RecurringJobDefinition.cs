using System.Linq.Expressions;
using Hangfire;

namespace AspService.Server.Jobs;

/// <summary>
/// A recurring kind as a feature module declares it (<see cref="RecurringJobRegistration.AddRecurringJob{TJob}"/>):
/// <see cref="JobsServerHost"/> registers it under its kind's id on the jobs role and, when asked, queues a catch-up
/// run at every start.
/// </summary>
public sealed class RecurringJobDefinition
{
    private readonly Action<IRecurringJobManager, string, RecurringJobOptions> _addOrUpdate;
    private readonly Action<IBackgroundJobClient> _enqueue;

    private RecurringJobDefinition(RecurringKind kind, Func<JobsOptions, string> cron, bool catchUpOnStart,
        Action<IRecurringJobManager, string, RecurringJobOptions> addOrUpdate, Action<IBackgroundJobClient> enqueue)
    {
        Kind = kind;
        Cron = cron;
        CatchUpOnStart = catchUpOnStart;
        _addOrUpdate = addOrUpdate;
        _enqueue = enqueue;
    }

    public RecurringKind Kind { get; }

    /// <summary>The schedule (a cron expression in Asia/Tokyo time) from the <c>Jobs</c> section.</summary>
    public Func<JobsOptions, string> Cron { get; }

    /// <summary>The database, not the queue, says what is overdue: such kinds run once whenever the jobs role comes up.</summary>
    public bool CatchUpOnStart { get; }

    public static RecurringJobDefinition Of<TJob>(RecurringKind kind, Func<JobsOptions, string> cron, Expression<Func<TJob, Task>> run, bool catchUpOnStart) =>
        new(kind, cron, catchUpOnStart,
            (manager, expression, options) => manager.AddOrUpdate(kind.Id, run, expression, options),
            client => client.Enqueue(run));

    public void AddOrUpdate(IRecurringJobManager manager, JobsOptions options, RecurringJobOptions schedule)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _addOrUpdate(manager, Cron(options), schedule);
    }

    public void Enqueue(IBackgroundJobClient client) => _enqueue(client);
}
