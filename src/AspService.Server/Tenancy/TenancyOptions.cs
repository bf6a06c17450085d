using System.ComponentModel.DataAnnotations;

namespace AspService.Server.Tenancy;

/// <summary>Tenancy settings (section <c>Tenancy</c>).</summary>
public sealed class TenancyOptions
{
    public const string Section = "Tenancy";

    /// <summary>Base domain for host resolution: <c>{code}.{BaseDomain}</c>. Empty disables host resolution.</summary>
    public string? BaseDomain { get; set; }

    /// <summary>How long a decommissioned tenant's database is kept after its export, before it is dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan DecommissionRetention { get; set; } = TimeSpan.FromDays(30);
}
