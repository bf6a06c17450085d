using AspService.Policy;

namespace AspService.Server.Tenancy;

/// <summary>
/// A municipality's egress networks: where its staff's requests come from (the LGWAN or internet exit of the
/// city hall). Stored on the catalog's tenant row as CIDR lines; the rate limiter reads the request's tenant's
/// (<see cref="TenantAccessor.FromEgress"/>).
/// </summary>
public static class TenantEgress
{
    public const int MaxNetworks = 20;

    /// <summary>IPv4 prefixes shorter than this (or IPv6 shorter than <see cref="MinPrefixV6"/>) are not one municipality.</summary>
    public const int MinPrefixV4 = 16;

    public const int MinPrefixV6 = 32;

    public static string[] Split(string? stored) =>
        (stored ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Validates and normalises a list; field errors are keyed "networks[i]". Pure.</summary>
    public static (string? Stored, List<(string Field, string Message)> Errors) Normalise(IReadOnlyList<string>? networks)
    {
        var errors = new List<(string Field, string Message)>();
        if (networks is null)
        {
            errors.Add(("networks", Pick(PolicyText.Format("required"))));
            return (null, errors);
        }

        if (networks.Count > MaxNetworks)
        {
            errors.Add(("networks", Pick(PolicyText.Format("too_many_networks", MaxNetworks))));
            return (null, errors);
        }

        var normal = new List<string>();
        for (var i = 0; i < networks.Count; i++)
        {
            if (!SourceNetworks.TryParse(networks[i], out var network, out var error))
            {
                errors.Add(($"networks[{i}]", Pick(error)));
            }
            else if (network.PrefixLength < (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? MinPrefixV4 : MinPrefixV6))
            {
                errors.Add(($"networks[{i}]", Hosting.Text.Get("egress_too_wide", MinPrefixV4, MinPrefixV6)));
            }
            else
            {
                normal.Add(network.ToString());
            }
        }

        return (errors.Count == 0 ? string.Join('\n', normal.Distinct(StringComparer.Ordinal)) : null, errors);
    }

    private static string Pick(LocalizedText text) => Hosting.Text.IsEnglish ? text.En : text.Ja;
}
