using System.Text.RegularExpressions;
using AspService.Server.Pki;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Routing;

namespace AspService.Tests.Fuzz;

/// <summary>One route of the host's endpoint data source: its template, methods and where it is served.</summary>
public sealed partial record FuzzRoute(string Template, IReadOnlyList<string> Methods, bool TenantScoped, bool TerminalOnly)
{
    /// <summary>Every route endpoint the running host maps (the real data source, so new routes are fuzzed too).</summary>
    public static IReadOnlyList<FuzzRoute> All(EndpointDataSource source) =>
    [
        .. source.Endpoints.OfType<RouteEndpoint>()
            .Select(e => new FuzzRoute(
                "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'),
                e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? [.. m] : ["GET", "POST"],
                e.Metadata.GetMetadata<TenantScopedAttribute>() is not null,
                e.Metadata.GetMetadata<TerminalEndpointAttribute>() is not null))
            .DistinctBy(r => (r.Template, string.Join(',', r.Methods)))
            .OrderBy(r => r.Template, StringComparer.Ordinal),
    ];

    /// <summary>The template with each parameter filled by <paramref name="value"/> (given the name and constraint).</summary>
    public string Fill(Func<string, string, string> value) =>
        Parameter().Replace(Template, m => value(m.Groups["name"].Value, m.Groups["constraint"].Value));

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z]+)(:(?<constraint>[^}]+))?\??\}")]
    private static partial Regex Parameter();
}
