using System.ComponentModel.DataAnnotations;

namespace AspService.Server.Identity;

/// <summary>Tenant identity settings (section <c>TenantIdentity</c>).</summary>
public sealed class TenantIdentityOptions
{
    public const string Section = "TenantIdentity";

    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromHours(72);

    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan ResetLifetime { get; set; } = TimeSpan.FromHours(1);
}
