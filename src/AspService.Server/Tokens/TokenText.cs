using System.Resources;
using AspService.Server.Hosting;

namespace AspService.Server.Tokens;

/// <summary>Messages of the token feature (Japanese first, English on Accept-Language: en).</summary>
internal static class TokenText
{
    // The words live in TokenText.resx (Japanese, the neutral language) and TokenText.en.resx (decision 0102).
    internal static ResourceManager Resources { get; } = new(typeof(TokenText).FullName!, typeof(TokenText).Assembly);

    public static string Get(string key) => Text.From(Resources, key);
}
