using System.Globalization;
using System.Resources;

namespace AspService.Server.Hosting;

/// <summary>
/// User-facing messages, Japanese first and English second. The request culture (ja-JP by default,
/// en on request via Accept-Language) picks the language.
/// </summary>
public static class Text
{
    // The words live in Text.resx (Japanese, the neutral language) and Text.en.resx (decision 0102).
    internal static ResourceManager Resources { get; } = new(typeof(Text).FullName!, typeof(Text).Assembly);

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string Get(string key, params object[] args) => From(Resources, key, args);

    /// <summary>
    /// Looks a message up in a feature's own resources: each feature keeps its texts in its own folder
    /// (e.g. <c>Identity/IdentityText.resx</c> and <c>.en.resx</c>) and calls this, so features never edit one
    /// shared file. The UI culture picks the language; any culture but English falls back to Japanese.
    /// </summary>
    public static string From(ResourceManager resources, string key, params object[] args)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var format = resources.GetString(key, CultureInfo.CurrentUICulture) ?? throw new KeyNotFoundException(key);
        return args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
    }

}
