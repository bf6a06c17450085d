using Microsoft.Extensions.Logging;

namespace AspService.Tests.Infrastructure;

/// <summary>One Error-or-worse entry written by the host: where it came from, its text and its exception.</summary>
public sealed record LoggedError(string Category, LogLevel Level, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : " | " + Exception.GetType().Name + ": " + Exception.Message)}";
}
