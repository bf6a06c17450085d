using System.Resources;
using AspService.Server.Hosting;

namespace AspService.Server.Identity;

/// <summary>Tenant identity messages (Japanese first, English on Accept-Language: en).</summary>
public static class IdentityText
{
    // The words live in IdentityText.resx (Japanese, the neutral language) and IdentityText.en.resx (decision 0102).
    internal static ResourceManager Resources { get; } = new(typeof(IdentityText).FullName!, typeof(IdentityText).Assembly);

    public static string Get(string key, params object[] args) => Text.From(Resources, key, args);
}
