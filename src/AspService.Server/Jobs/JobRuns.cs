using System.Globalization;
using Hangfire;

namespace AspService.Server.Jobs;

/// <summary>
/// When each recurring kind last succeeded, kept in the Hangfire storage so every jobs process (and /readyz)
/// sees the same value. A kind that never succeeded is measured from when this process started.
/// </summary>
public sealed class JobRuns(JobStorage storage, TimeProvider time)
{
    private const string Key = "aspsvc:last-success";
    private const string AuditKey = "aspsvc:audit-broken";
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public void RecordSuccess(string kind)
    {
        using var connection = storage.GetConnection();
        using var tx = connection.CreateWriteTransaction();
        tx.SetRangeInHash(Key, [new KeyValuePair<string, string>(kind, time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture))]);
        tx.Commit();
    }

    public DateTimeOffset? LastSuccess(string kind)
    {
        using var connection = storage.GetConnection();
        var all = connection.GetAllEntriesFromHash(Key);
        return all is not null && all.TryGetValue(kind, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
    }

    /// <summary>Records (or with null clears) a tenant's broken audit chain.</summary>
    public void SetAuditBreak(Guid tenantId, string? description)
    {
        using var connection = storage.GetConnection();
        using var tx = connection.CreateWriteTransaction();
        if (description is null)
        {
            tx.RemoveFromSet(AuditKey, tenantId.ToString("N"));
        }
        else
        {
            tx.AddToSet(AuditKey, tenantId.ToString("N"));
        }

        tx.Commit();
    }

    /// <summary>Tenants whose last verification found a broken audit chain.</summary>
    public IReadOnlyList<Guid> BrokenAuditChains()
    {
        using var connection = storage.GetConnection();
        return [.. connection.GetAllItemsFromSet(AuditKey).Select(Guid.Parse).Order()];
    }

    public TimeSpan Age(string kind)
    {
        var since = LastSuccess(kind) ?? _started;
        var age = time.GetUtcNow() - since;
        return age < TimeSpan.Zero ? TimeSpan.Zero : age;
    }
}
