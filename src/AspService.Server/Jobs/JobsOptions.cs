using System.ComponentModel.DataAnnotations;

namespace AspService.Server.Jobs;

/// <summary>Background jobs (section <c>Jobs</c>). Schedules are cron expressions in Asia/Tokyo time.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Connection string of the Hangfire storage. Empty: the catalog database (its own <c>hangfire</c> schema)
    /// on SQL Server and PostgreSQL; the embedded SQLite default always uses in-memory storage (decision 0040).
    /// Never logged and never shown on the dashboard.
    /// </summary>
    public string? StorageConnectionString { get; set; }

    [Range(1, 64)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>
    /// How long a fetched job stays invisible to other workers. The PostgreSQL storage slides it while the job runs,
    /// so it only bounds how soon a crashed worker's job is picked up again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// A distributed lock older than this is taken to be abandoned (PostgreSQL storage). Must exceed the longest
    /// job that holds a lock (the monthly close, a tenant's provisioning), or two runs could overlap.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan DistributedLockTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long a job waits for the per-tenant lock before it leaves the work to the run holding it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan LockWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Provisioning still unfinished after this long is reported by the reaping job.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan StaleProvisioningAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Retries of a failed job before it is left failed; delays grow with each attempt.</summary>
    [Range(0, 20)]
    public int RetryAttempts { get; set; } = 5;

    public string TenantOperationsCron { get; set; } = "*/5 * * * *";

    public string MonthlyCloseCron { get; set; } = "0 3 1 * *";

    public string ReapingCron { get; set; } = "30 4 * * *";

    public string AuditSweepCron { get; set; } = "0 5 * * *";

    /// <summary>Hourly, a few minutes after the hour: the 23:05 run closes each JST day's figures.</summary>
    public string UsageRollupCron { get; set; } = "5 * * * *";

    /// <summary>Daily, before office hours: expiry mails reach the admins at the start of their day.</summary>
    public string CertificateRotationCron { get; set; } = "0 6 * * *";

    /// <summary>On the 1st after the monthly close (03:00): the previous month's usage reports.</summary>
    public string UsageReportsCron { get; set; } = "0 4 1 * *";

    public string StripeSyncCron { get; set; } = "0 6 * * *";
}
