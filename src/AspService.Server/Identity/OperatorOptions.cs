using System.ComponentModel.DataAnnotations;

namespace AspService.Server.Identity;

/// <summary>Operator account settings (section <c>Operators</c>).</summary>
public sealed class OperatorOptions
{
    public const string Section = "Operators";

    /// <summary>How long the one-time password printed by <c>operators create</c> / <c>reset-password</c> works.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "7.00:00:00")]
    public TimeSpan TemporaryPasswordLifetime { get; set; } = TimeSpan.FromHours(24);
}
