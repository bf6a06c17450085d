using AspService.Tests.Infrastructure;
using System.Collections.Concurrent;
using System.Text;

namespace AspService.Tests.Fuzz;

/// <summary>A defect known and fixed on another branch: the requests and log entries it explains.</summary>
public sealed record KnownDefect(string Name, Func<FuzzRequest, bool> Request, Func<LoggedError, bool> Log);

/// <summary>Counts of one fuzz run: replies by status class and kind, and every server error, hang or known defect.</summary>
public sealed class FuzzTally(IReadOnlyList<KnownDefect> known)
{
    private readonly ConcurrentDictionary<string, int> _byStatus = new();
    private readonly ConcurrentDictionary<string, int> _byKind = new();
    private readonly ConcurrentQueue<string> _serverErrors = new();
    private readonly ConcurrentQueue<string> _hangs = new();
    private readonly ConcurrentQueue<string> _knownHits = new();
    private int _sent;

    public int Sent => _sent;

    public IReadOnlyList<string> ServerErrors => [.. _serverErrors];

    public IReadOnlyList<string> Hangs => [.. _hangs];

    public IReadOnlyList<string> KnownHits => [.. _knownHits];

    public void Record(FuzzRequest request, RawReply reply)
    {
        Interlocked.Increment(ref _sent);
        var kind = request.Kind.Split(' ')[0];
        _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        _byStatus.AddOrUpdate(reply.Hung ? "hung" : reply.Status is { } s ? s / 100 + "xx" : "closed", 1, (_, n) => n + 1);
        if (reply.Hung)
        {
            _hangs.Enqueue(request.ToString());
        }
        else if (reply.Status >= 500)
        {
            var defect = known.FirstOrDefault(k => k.Request(request));
            (defect is null ? _serverErrors : _knownHits).Enqueue($"{reply.Status} {request}{(defect is null ? "" : " [known: " + defect.Name + "]")}");
        }
    }

    /// <summary>Error log entries not explained by a known defect.</summary>
    public IReadOnlyList<LoggedError> Unexplained(IEnumerable<LoggedError> errors) => [.. errors.Where(e => !known.Any(k => k.Log(e)))];

    public string Summary(string name, int seed, int routes, int logErrors, TimeSpan elapsed) =>
        new StringBuilder()
            .Append(name).Append(": seed ").Append(seed).Append(", ").Append(routes).Append(" routes, ").Append(_sent).Append(" requests in ")
            .Append(elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).Append(" s; ")
            .Append(string.Join(", ", _byStatus.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Key + "=" + k.Value)))
            .Append("; server errors ").Append(_serverErrors.Count).Append(", hangs ").Append(_hangs.Count)
            .Append(", unhandled exceptions in the log ").Append(logErrors).Append(", known defects hit ").Append(_knownHits.Count)
            .Append(" (by kind: ").Append(string.Join(", ", _byKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Key + "=" + k.Value))).Append(')')
            .ToString();
}
