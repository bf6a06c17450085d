using OpenIddict.Abstractions;

namespace AspService.Server.Identity;

/// <summary>Which structured log entries carry protocol secrets (see <see cref="ScrubbedLogger{T}"/>).</summary>
public static class LogSecrets
{
    private static readonly string[] SecretKeys =
        ["Token", "ReferenceId", "AccessToken", "RefreshToken", "IdentityToken", "DeviceCode", "UserCode", "Code", "Request", "Response", "Parameters", "Payload", "Claims"];

    /// <summary>True when a structured log entry holds a protocol message or a value named like a token or code.</summary>
    public static bool CarriesSecrets<TState>(TState state) =>
        state is IEnumerable<KeyValuePair<string, object?>> values
        && values.Any(v => v.Value is OpenIddictMessage || SecretKeys.Contains(v.Key, StringComparer.OrdinalIgnoreCase));
}
