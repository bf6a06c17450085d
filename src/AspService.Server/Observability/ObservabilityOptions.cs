namespace AspService.Server.Observability;

/// <summary>Telemetry settings (section <c>Observability</c>). OTLP export is switched on by <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>
    /// The management listener serving Prometheus text at <c>/metrics</c>, e.g. <c>http://127.0.0.1:9464</c> (port 0 picks a
    /// free port). Empty (the default for <c>dotnet run</c>): no listener. Never the web or relay port.
    /// </summary>
    public string? MetricsListen { get; set; }

    /// <summary>The <c>service.name</c> resource attribute in OTLP export.</summary>
    public string ServiceName { get; set; } = "aspservice";

    /// <summary>
    /// Why <paramref name="listen"/> cannot be the management listener, or null when it can: an http URL with an
    /// explicit port, no path, not a port the web (<paramref name="webUrls"/>) or relay (<paramref name="relayListen"/>) listener uses.
    /// </summary>
    public static string? Problem(string? listen, string? webUrls, string? relayListen)
    {
        if (string.IsNullOrWhiteSpace(listen))
        {
            return null;
        }

        if (ListenUri(listen) is not { } uri || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/" || !HasExplicitPort(listen))
        {
            return $"Observability:MetricsListen must be an http URL with a port and no path, like http://127.0.0.1:9464 (got '{listen}')";
        }

        var taken = (webUrls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Append(relayListen ?? "")
            .Select(ListenUri)
            .Where(u => u is not null && u.Port != 0)
            .Select(u => u!.Port);
        return uri.Port != 0 && taken.Contains(uri.Port)
            ? $"Observability:MetricsListen uses port {uri.Port}, which the web or relay listener already uses; metrics are served only on their own port"
            : null;
    }

    /// <summary>Kestrel's wildcard hosts (<c>*</c>, <c>+</c>) as a parseable URI.</summary>
    public static Uri? ListenUri(string url) =>
        Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal),
            UriKind.Absolute, out var uri) ? uri : null;

    private static bool HasExplicitPort(string url)
    {
        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/')[0];
        var colon = authority.LastIndexOf(':');
        return colon > authority.LastIndexOf(']') && colon < authority.Length - 1;
    }
}
