using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace AspService.Tests.Infrastructure;

/// <summary>
/// Every log entry a test host emits (formatted message, structured values and exception), kept for a scan
/// for secrets and personal data. Each <see cref="AppFactory"/> adds one; the factory scans it when it is
/// disposed, so every test class of the suite is checked, and <see cref="LogScanTests"/> runs a whole
/// journey at the most verbose levels and looks for every secret it created.
/// </summary>
public sealed partial class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<LoggedError> _errors = new();
    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Error and Critical entries with their exceptions (the fuzz suites assert none is unexplained).</summary>
    public IReadOnlyList<LoggedError> Errors => [.. _errors];

    /// <summary>A value this host's log must never contain (a password, a code, a token, an address).</summary>
    public void Secret(string? value)
    {
        // Very short values (a six-digit TOTP code) would match unrelated numbers.
        if (value is { Length: >= 8 })
        {
            _secrets.TryAdd(value, 0);
        }
    }

    /// <summary>Lines holding a registered secret or looking like a credential in a protocol dump.</summary>
    public IReadOnlyList<string> Leaks() =>
        [.. _lines.Where(line => _secrets.Keys.Any(s => line.Contains(s, StringComparison.Ordinal)) || CredentialShape().IsMatch(line))];

    public ILogger CreateLogger(string categoryName) => new Sink(categoryName, _lines, _errors);

    public void Dispose()
    {
    }

    // A credential field with a value that is not "[redacted]", a credential in a query/form, a TOTP
    // enrollment URI, a bearer token.
    [GeneratedRegex("""
        "(device_code|user_code|access_token|refresh_token|id_token|password|client_secret)"\s*:\s*"[^"\[]|(?<![A-Za-z])(device_code|user_code|refresh_token|access_token|password|token)=[A-Za-z0-9_\-\.%]{6,}|otpauth://|Bearer\s+[A-Za-z0-9_\-\.]{16,}
        """, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialShape();

    /// <summary>
    /// Errors also go to <c>server-errors.log</c> under <c>ASPSERVICE_TEST_ARTIFACTS</c> (set by .ci/run), so a
    /// 500 seen by a test can be explained after the run (the in-memory log dies with the test host).
    /// </summary>
    private static class ErrorFile
    {
        private static readonly Lock Gate = new();
        private static readonly string? Path = Environment.GetEnvironmentVariable("ASPSERVICE_TEST_ARTIFACTS") is { Length: > 0 } root
            ? System.IO.Path.Combine(root, "server-errors.log")
            : null;

        public static void Append(string line)
        {
            if (Path is null)
            {
                return;
            }

            lock (Gate)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                File.AppendAllText(Path, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}{Environment.NewLine}");
            }
        }
    }

    private sealed class Sink(string category, ConcurrentQueue<string> lines, ConcurrentQueue<LoggedError> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder().Append(logLevel).Append(' ').Append(category).Append(": ").Append(formatter(state, exception));
            // The structured values too: a JSON console or a log shipper prints them even when the message does not.
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    line.Append(" | ").Append(key).Append('=').Append(value);
                }
            }

            if (exception is not null)
            {
                line.Append(" | ").Append(exception);
            }

            lines.Enqueue(line.ToString());
            if (logLevel >= LogLevel.Error)
            {
                errors.Enqueue(new LoggedError(category, logLevel, formatter(state, exception), exception));
                ErrorFile.Append(line.ToString());
            }
        }
    }
}
