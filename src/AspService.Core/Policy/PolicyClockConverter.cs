using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace AspService.Policy;

/// <summary>
/// Window bounds as people write them: "HH:mm" (also "HH:mm:ss"), including "24:00" for the end of the day,
/// besides .NET's own "d.hh:mm:ss". The default TimeSpan reading refuses "24:00" (hours above 23), although
/// the rule and its message allow it. Range checks stay in <see cref="PolicyValidator"/> so "25:00" gets the
/// range message rather than a type error. Written in .NET's format, as before, so stored policies and
/// clients keep reading what they read.
/// </summary>
public sealed partial class PolicyClockConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException();
        }

        return TryParse(reader.GetString(), out var value) ? value : throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString("c", CultureInfo.InvariantCulture));
    }

    /// <summary>"H:mm", "HH:mm", "HH:mm:ss" (hours up to 99, so a range error can name the field) or "d.hh:mm:ss".</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var clock = Clock().Match(text);
        if (clock.Success)
        {
            var minutes = int.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture);
            var seconds = clock.Groups[3].Success ? int.Parse(clock.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
            if (minutes > 59 || seconds > 59)
            {
                return false;
            }

            value = new TimeSpan(int.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture), minutes, seconds);
            return true;
        }

        // .NET's form needs its colons: a bare "8" would otherwise read as eight days.
        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex(@"^([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Clock();
}
