using System.Resources;
using AspService.Server.Hosting;

namespace AspService.Server.Relay;

/// <summary>Messages of the relay and the session broker (Japanese first, English on Accept-Language: en).</summary>
internal static class RelayText
{
    // The words live in RelayText.resx (Japanese, the neutral language) and RelayText.en.resx (decision 0102).
    internal static ResourceManager Resources { get; } = new(typeof(RelayText).FullName!, typeof(RelayText).Assembly);

    public static string Get(string key, params object[] args) => Text.From(Resources, key, args);
}
