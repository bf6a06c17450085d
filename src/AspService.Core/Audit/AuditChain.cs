using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AspService.Audit;

/// <summary>The content of one audit row as the chain sees it.</summary>
public sealed record AuditRecord(
    long Sequence, DateTimeOffset At, string Action, string Actor, string? Subject, string? Detail, string? Client,
    string PreviousHash, string Hash);

/// <summary>Why verification stopped at a row.</summary>
public enum AuditBreakKind
{
    /// <summary>A sequence number is missing or repeated: a row was removed or inserted.</summary>
    Gap,

    /// <summary>The row does not point at the hash of the row before it.</summary>
    Link,

    /// <summary>The row's content no longer matches its own hash: it was edited.</summary>
    Content,
}

public sealed record AuditBreak(long Sequence, AuditBreakKind Kind);

/// <summary>
/// The hash chain of a tenant's audit log: each row stores SHA-256 over its canonical content and the
/// previous row's hash, so editing, removing or inserting a row is detected at that row.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first row.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// Timestamps are hashed at millisecond precision and stored truncated to it, because providers keep
    /// different precisions (PostgreSQL microseconds, SQLite ticks) and a round trip must hash the same.
    /// </summary>
    public static DateTimeOffset Normalize(DateTimeOffset at) =>
        DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    public static string ComputeHash(long sequence, DateTimeOffset at, string action, string actor, string? subject,
        string? detail, string? client, string previousHash)
    {
        // Length-prefixed fields: no choice of field values can make two different rows serialize alike.
        var sb = new StringBuilder(256);
        Field(sb, sequence.ToString(CultureInfo.InvariantCulture));
        Field(sb, at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Field(sb, action);
        Field(sb, actor);
        Field(sb, subject);
        Field(sb, detail);
        Field(sb, client);
        Field(sb, previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    public static string ComputeHash(AuditRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return ComputeHash(r.Sequence, r.At, r.Action, r.Actor, r.Subject, r.Detail, r.Client, r.PreviousHash);
    }

    /// <summary>
    /// Checks one row against the position it should have: its sequence follows the previous row's, it
    /// links to the previous row's hash, and its own hash matches its content.
    /// </summary>
    public static AuditBreak? Check(AuditRecord record, long expectedSequence, string expectedPreviousHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Sequence != expectedSequence)
        {
            // A missing row is reported where the chain first notices it: at the expected position.
            return new AuditBreak(Math.Min(record.Sequence, expectedSequence), AuditBreakKind.Gap);
        }

        if (!string.Equals(record.PreviousHash, expectedPreviousHash, StringComparison.Ordinal))
        {
            return new AuditBreak(record.Sequence, AuditBreakKind.Link);
        }

        return string.Equals(ComputeHash(record), record.Hash, StringComparison.Ordinal)
            ? null
            : new AuditBreak(record.Sequence, AuditBreakKind.Content);
    }

    /// <summary>Verifies rows in sequence order; returns the first break, or null when the chain is whole.</summary>
    public static AuditBreak? Verify(IEnumerable<AuditRecord> ordered)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        var expected = 1L;
        var previous = Genesis;
        foreach (var record in ordered)
        {
            if (Check(record, expected, previous) is { } broken)
            {
                return broken;
            }

            expected++;
            previous = record.Hash;
        }

        return null;
    }

    private static void Field(StringBuilder sb, string? value)
    {
        if (value is null)
        {
            sb.Append("-1:");
            return;
        }

        sb.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('|');
    }
}
