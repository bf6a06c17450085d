using System.Collections;
using System.Globalization;
using System.Resources;

namespace AspService.Policy;

/// <summary>
/// The telework policy's user-facing texts, Japanese first: both languages at once (<see cref="LocalizedText"/>),
/// because a policy decision is stored and shown later in whichever language the reader chose.
/// </summary>
public static class PolicyText
{
    // The words live in PolicyText.resx (Japanese, the neutral language) and PolicyText.en.resx (decision 0102).
    internal static ResourceManager Resources { get; } = new(typeof(PolicyText).FullName!, typeof(PolicyText).Assembly);

    /// <summary>Every key with both languages, read once from the resources.</summary>
    public static IReadOnlyDictionary<string, (string Ja, string En)> Catalog { get; } = Load();

    /// <summary>
    /// Formats both languages. An argument that is itself a <see cref="LocalizedText"/> is put in in the matching
    /// language; anything else is formatted with the invariant culture.
    /// </summary>
    public static LocalizedText Format(string key, params object[] args)
    {
        var (ja, en) = Catalog[key];
        return new LocalizedText(Apply(ja, args, english: false), Apply(en, args, english: true));
    }

    private static string Apply(string format, object[] args, bool english) =>
        args.Length == 0
            ? format
            : string.Format(CultureInfo.InvariantCulture, format, [.. args.Select(a => a is LocalizedText t ? t.For(english) : a)]);

    /// <summary>A date as people read it: 2025年1月1日 / 2025-01-01.</summary>
    public static LocalizedText Date(DateOnly date) => new(
        date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture),
        date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static LocalizedText Weekday(DayOfWeek day) => Pair("weekday_" + day);

    public static LocalizedText Channel(RedirectionChannel channel) => Pair(channel switch
    {
        RedirectionChannel.Clipboard => "channel_clipboard",
        RedirectionChannel.Drives => "channel_drives",
        RedirectionChannel.Printers => "channel_printers",
        _ => "channel_ports",
    });

    /// <summary>A time of day or window bound as HH:mm (24:00 allowed for a window's end).</summary>
    public static string Clock(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:00}:{time.Minutes:00}");

    private static LocalizedText Pair(string key)
    {
        var (ja, en) = Catalog[key];
        return new LocalizedText(ja, en);
    }

    private static Dictionary<string, (string Ja, string En)> Load()
    {
        var en = Resources.GetResourceSet(CultureInfo.GetCultureInfo("en"), createIfNotExists: true, tryParents: false);
        return Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!.Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => ((string)e.Value!, en?.GetString((string)e.Key) ?? (string)e.Value!), StringComparer.Ordinal);
    }
}
