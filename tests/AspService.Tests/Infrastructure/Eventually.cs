namespace AspService.Tests.Infrastructure;

/// <summary>
/// Bounded waits for work that really runs in the background (a Hangfire server, the jobs role after a
/// restart). They wait on a condition, never on a clock; the limit only turns a hang into a failure.
/// </summary>
public static class Eventually
{
    /// <summary>
    /// Generous on purpose: under a machine's full load (load average 50 on 2 cores, several suites at once) a
    /// Hangfire job on PostgreSQL took longer than the former 60 s and failed a correct test. Only a hang ever
    /// reaches this limit, so its length costs nothing when tests pass.
    /// </summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    public static Task UntilAsync(Func<bool> done) => UntilAsync(() => Task.FromResult(done()));

    /// <param name="limit">Longer than <see cref="Limit"/> only for work that spans process restarts.</param>
    public static Task UntilAsync(Func<Task<bool>> done, TimeSpan? limit = null) => ValueAsync(done, x => x, limit);

    /// <summary>Polls <paramref name="read"/> until its value passes <paramref name="done"/>, and returns that value.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? limit = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        using var timeout = new CancellationTokenSource(limit ?? Limit);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
