using OpenIddict.Abstractions;

namespace AspService.Server.Identity;

/// <summary>
/// OpenIddict's own logger, minus what must never reach a log: it dumps whole requests and responses at
/// Information (device_code and user_code in clear text; only tokens are redacted) and raw tokens at Trace.
/// This wrapper drops every entry below Information and every entry that carries a protocol message or a
/// token, whatever the configured levels; OpenIddict's other entries (why a request was rejected, errors)
/// pass unchanged. Replaces <c>ILogger&lt;T&gt;</c> for OpenIddict's dispatchers only.
/// </summary>
public sealed class ScrubbedLogger<T>(ILoggerFactory factory) : ILogger<T>
{
    private readonly ILogger _inner = factory.CreateLogger<T>();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel) && !LogSecrets.CarriesSecrets(state))
        {
            _inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
