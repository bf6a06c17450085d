using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspService.Tests.Fuzz;

/// <summary>One Error-or-worse entry written by the host: where it came from, its text and its exception.</summary>
public sealed record LoggedError(string Category, LogLevel Level, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : " | " + Exception.GetType().Name + ": " + Exception.Message)}";
}

/// <summary>
/// A logger provider that keeps every Error and Critical entry of one host in memory, so a test can assert that
/// hostile input left no unhandled exception behind (the framework logs those at Error).
/// </summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<LoggedError> _errors = new();

    public IReadOnlyList<LoggedError> Errors => [.. _errors];

    /// <summary>Registers this sink on a host (for <c>AppFactory.MoreServices</c>).</summary>
    public void AddTo(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(this);

    public ILogger CreateLogger(string categoryName) => new Sink(categoryName, _errors);

    public void Dispose()
    {
    }

    private sealed class Sink(string category, ConcurrentQueue<LoggedError> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                errors.Enqueue(new LoggedError(category, logLevel, formatter(state, exception), exception));
            }
        }
    }
}
