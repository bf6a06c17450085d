using System.Resources;
using AspService.Server.Hosting;

namespace AspService.Server.Pki;

/// <summary>The certificate-rotation mail to a tenant's admins (Japanese default, English on request).</summary>
internal static class RotationText
{
    // The words live in RotationText.resx (Japanese, the neutral language) and RotationText.en.resx (decision 0102).
    internal static ResourceManager Resources { get; } = new(typeof(RotationText).FullName!, typeof(RotationText).Assembly);

    public static string Get(string key, params object[] args) => Text.From(Resources, key, args);
}
