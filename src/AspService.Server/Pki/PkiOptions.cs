using System.ComponentModel.DataAnnotations;

namespace AspService.Server.Pki;

/// <summary>Certificate settings (section <c>Pki</c>).</summary>
public sealed class PkiOptions
{
    public const string Section = "Pki";

    /// <summary>Lifetime of terminal certificates; renewal opens at two thirds of it.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "397.00:00:00")]
    public TimeSpan TerminalCertificateLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Lifetime of a new tenant CA (rolled over by the rotation job well before it ends).</summary>
    [Range(typeof(TimeSpan), "30.00:00:00", "7300.00:00:00")]
    public TimeSpan TenantCaLifetime { get; set; } = TimeSpan.FromDays(5 * 365);

    /// <summary>
    /// The rotation job makes a new current tenant CA once the current one has less than this left; the old root stays
    /// trusted until it expires, so certificates it issued keep working while agents renew onto the new CA.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan TenantCaRolloverBefore { get; set; } = TimeSpan.FromDays(365);

    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan EnrollmentTokenDefaultLifetime { get; set; } = TimeSpan.FromDays(1);

    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan EnrollmentTokenMaxLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The provider CA that signs the relay's TLS certificate. Production: a PEM certificate with <see cref="ProviderCaKeyPath"/>,
    /// or a PFX (with <see cref="ProviderCaPassword"/>). Empty: one is generated on first start under
    /// <c>{DataRoot}/pki</c>, its key encrypted with the Data Protection key ring.
    /// </summary>
    public string? ProviderCaPath { get; set; }

    public string? ProviderCaKeyPath { get; set; }

    public string? ProviderCaPassword { get; set; }
}
