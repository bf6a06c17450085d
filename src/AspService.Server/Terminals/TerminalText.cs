using System.Resources;
using AspService.Server.Hosting;

namespace AspService.Server.Terminals;

/// <summary>Messages of the terminal registry and enrollment (Japanese first, English on Accept-Language: en).</summary>
internal static class TerminalText
{
    // The words live in TerminalText.resx (Japanese, the neutral language) and TerminalText.en.resx (decision 0102).
    internal static ResourceManager Resources { get; } = new(typeof(TerminalText).FullName!, typeof(TerminalText).Assembly);

    public static string Get(string key, params object[] args) => Text.From(Resources, key, args);
}
