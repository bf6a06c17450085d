using System.Globalization;
using System.Text.Encodings.Web;
using AspService.Server.Resources;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace AspService.Server.Consoles;

/// <summary>
/// A sentence that quotes Japanese words which stay Japanese in every language — a CSV column name the file must
/// carry, a shortcut's name, a character the import accepts: each is marked <c>lang="ja"</c>, so English pages
/// have no unmarked Japanese and screen readers switch voice for the quote.
/// </summary>
public static class JapaneseQuotes
{
    public static IHtmlContent Quoting(this IStringLocalizer<ConsoleText> text, string key, params string[] japanese)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(japanese);
        var quotes = japanese.Select(q => (object)("<span lang=\"ja\">" + HtmlEncoder.Default.Encode(q) + "</span>")).ToArray();
        return new HtmlString(string.Format(CultureInfo.InvariantCulture, HtmlEncoder.Default.Encode(text[key].Value), quotes));
    }
}
