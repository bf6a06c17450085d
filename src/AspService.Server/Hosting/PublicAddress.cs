using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AspService.Server.Hosting;

/// <summary>
/// The address people and agents reach this service at, for links in mails, the CRL address inside
/// certificates and a tenant's <c>publicUrl</c>: <c>Server:PublicBaseUrl</c> (the older
/// <c>TenantIdentity:PublicBaseUrl</c> still counts), else the address the web listener actually bound.
/// With <c>Tenancy:BaseDomain</c> a tenant's root is its own host instead.
/// </summary>
public sealed class PublicAddress(IConfiguration configuration, IServer server, IOptions<TenancyOptions> tenancy)
{
    public const string Setting = "Server:PublicBaseUrl";
    public const string LegacySetting = "TenantIdentity:PublicBaseUrl";

    /// <summary>Used when nothing is set and the listener's address is unknown (e.g. an in-memory test server).</summary>
    public const string Fallback = "http://localhost:5080";

    /// <summary>What the settings say, or null.</summary>
    public string? Configured =>
        (configuration[Setting] is { Length: > 0 } value ? value : configuration[LegacySetting] is { Length: > 0 } legacy ? legacy : null)?.Trim();

    public string BaseUrl => (Configured ?? FromListener(server.Features.Get<IServerAddressesFeature>()?.Addresses) ?? Fallback).TrimEnd('/');

    /// <summary>A tenant's public root: <c>{base}/t/{code}</c>, or <c>https://{code}.{BaseDomain}</c>.</summary>
    public string TenantRoot(string code) => TenantPath.PublicRoot(code, BaseUrl, tenancy.Value.BaseDomain);

    /// <summary>The first plain-HTTP listener address (the https one of the relay role is for agents), wildcards as localhost.</summary>
    public static string? FromListener(IEnumerable<string>? addresses)
    {
        var list = addresses?.ToList() ?? [];
        var address = list.FirstOrDefault(a => a.StartsWith("http:", StringComparison.OrdinalIgnoreCase)) ?? list.FirstOrDefault();
        if (address is null)
        {
            return null;
        }

        foreach (var wildcard in new[] { "://+", "://*", "://0.0.0.0", "://[::]" })
        {
            address = address.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }

        return address;
    }

    /// <summary>What is wrong with the setting, in both languages; empty when nothing is. Pure.</summary>
    public static IReadOnlyList<string> Problems(string? configured, bool development)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return development
                ? []
                : [$"{Setting} が未設定です。メールのリンクと証明書の CRL アドレスは待ち受けアドレスから作られます / {Setting} is not set: links in mails and the CRL address in certificates use the listening address"];
        }

        if (!Uri.TryCreate(configured, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return [$"{Setting} は http(s):// で始まる絶対 URL ではありません / {Setting} is not an absolute http(s) URL: {configured}"];
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return [$"{Setting} にクエリやフラグメントは使えません / {Setting} must not have a query or fragment: {configured}"];
        }

        return uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback
            ? [$"{Setting} が https ではありません（ループバック以外）/ {Setting} is not https and not loopback: {configured}"]
            : [];
    }
}
