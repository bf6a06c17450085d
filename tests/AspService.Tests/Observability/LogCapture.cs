using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AspService.Tests.Observability;

/// <summary>
/// Every log line of a host as text: the formatted message, each structured value, the scopes and the exception —
/// everything a console or OTLP exporter could write. Added to a running host's logger factory.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Capturing(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Capturing(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var parts = new List<string> { category, formatter(state, exception), exception?.ToString() ?? "" };
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                parts.AddRange(values.Select(v => v.Key + "=" + v.Value));
            }

            owner._scopes?.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), parts);
            owner._lines.Enqueue(string.Join(" | ", parts));
        }
    }
}
