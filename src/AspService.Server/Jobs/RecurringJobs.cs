namespace AspService.Server.Jobs;

/// <summary>A recurring kind: one Hangfire recurring job (never one per tenant) and its nominal period.</summary>
public sealed record RecurringKind(string Id, TimeSpan Period);

public static class RecurringJobs
{
    public static readonly RecurringKind TenantOperations = new("tenant-operations", TimeSpan.FromMinutes(5));
    public static readonly RecurringKind MonthlyClose = new("billing-monthly-close", TimeSpan.FromDays(31));
    public static readonly RecurringKind Reaping = new("reaping", TimeSpan.FromDays(1));
    public static readonly RecurringKind AuditSweep = new("audit-sweep", TimeSpan.FromDays(1));
    public static readonly RecurringKind UsageRollup = new("usage-rollup", TimeSpan.FromHours(1));
    public static readonly RecurringKind CertificateRotation = new("certificate-rotation", TimeSpan.FromDays(1));
    public static readonly RecurringKind UsageReports = new("usage-reports", TimeSpan.FromDays(31));
    public static readonly RecurringKind StripeSync = new("stripe-sync", TimeSpan.FromDays(1));

    public static IReadOnlyList<RecurringKind> All { get; } = [TenantOperations, MonthlyClose, Reaping, AuditSweep, UsageRollup, CertificateRotation, UsageReports, StripeSync];

    /// <summary>Unhealthy when the last success is older than twice the period (pure rule).</summary>
    public static bool IsOverdue(TimeSpan sinceLastSuccess, TimeSpan period) => sinceLastSuccess > period * 2;
}
