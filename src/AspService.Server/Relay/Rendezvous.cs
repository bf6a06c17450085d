using System.Collections.Concurrent;

namespace AspService.Server.Relay;

/// <summary>
/// Where the two data streams of a session meet on one node. The first to arrive waits (bounded); the second
/// takes the first's stream and runs the pipe, then releases the first. Nothing is buffered while waiting.
/// </summary>
public sealed class Rendezvous
{
    private readonly ConcurrentDictionary<(Guid Tenant, Guid Session), Waiting> _waiting = new();

    public sealed class Waiting(bool isHome, Stream stream)
    {
        public bool IsHome { get; } = isHome;

        public Stream Stream { get; } = stream;

        internal TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Called by the partner when the pipe has ended.</summary>
        public void Release() => Done.TrySetResult();
    }

    public enum Outcome
    {
        /// <summary>The partner arrived and piped; the session is over.</summary>
        PipedByPartner,

        /// <summary>This caller arrived second: it must pipe with <see cref="Meeting.Partner"/> and release it.</summary>
        Paired,

        TimedOut,

        /// <summary>The same side arrived twice for one session.</summary>
        Duplicate,
    }

    public sealed record Meeting(Outcome Outcome, Waiting? Partner);

    public int WaitingCount => _waiting.Count;

    public async Task<Meeting> MeetAsync(Guid tenantId, Guid sessionId, bool isHome, Stream stream, TimeSpan wait, TimeProvider time, CancellationToken ct)
    {
        // Keyed by tenant too: a session id of one tenant can never meet a stream of another.
        var key = (tenantId, sessionId);
        var mine = new Waiting(isHome, stream);
        var present = _waiting.GetOrAdd(key, mine);
        if (present != mine)
        {
            if (present.IsHome == isHome || !_waiting.TryRemove(new KeyValuePair<(Guid, Guid), Waiting>(key, present)))
            {
                return new Meeting(Outcome.Duplicate, null);
            }

            return new Meeting(Outcome.Paired, present);
        }

        try
        {
            var timeout = Task.Delay(wait, time, ct);
            if (await Task.WhenAny(mine.Done.Task, timeout) == mine.Done.Task)
            {
                return new Meeting(Outcome.PipedByPartner, null);
            }
        }
        catch (OperationCanceledException)
        {
            // This side went away while waiting; fall through to withdraw.
        }

        if (_waiting.TryRemove(new KeyValuePair<(Guid, Guid), Waiting>(key, mine)))
        {
            return new Meeting(Outcome.TimedOut, null);
        }

        // The partner took this stream at the last moment: it pipes now, wait for it to finish.
        await mine.Done.Task;
        return new Meeting(Outcome.PipedByPartner, null);
    }
}
