using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace AspService.Tests.Consoles;

/// <summary>
/// The language checks of <see cref="PageChecks"/> for pages read in-process (AngleSharp, no browser): the visible text
/// nodes, the accessible names and hints in attributes and the title. Text inside an element marked with another
/// language, and codes and keys (<c>code</c>, <c>kbd</c>, <c>.usercode</c>), are left out, as in the browser.
/// </summary>
internal static class PageText
{
    /// <summary>English mode: not one Japanese character, except in the given data (people's names).</summary>
    public static void NoJapanese(IHtmlDocument page, string where, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        var japanese = Visible(page).Where(t => PageChecks.HasJapanese(allowed.Aggregate(t, (r, a) => r.Replace(a, " ", StringComparison.Ordinal)))).ToList();
        Assert.True(japanese.Count == 0, where + " shows Japanese in English mode: " + string.Join(" | ", japanese));
    }

    /// <summary>Japanese mode: no Latin-only text, except e-mail addresses and the given names.</summary>
    public static void NoLatinOnly(IHtmlDocument page, string where, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.Equal("ja", page.DocumentElement.GetAttribute("lang"));
        var latinOnly = Visible(page).Where(t => PageChecks.IsLatinOnly(t, allowed)).ToList();
        Assert.True(latinOnly.Count == 0, where + " shows Latin-only text in Japanese mode: " + string.Join(" | ", latinOnly));
    }

    /// <summary>What a person reads or hears of the page.</summary>
    public static IReadOnlyList<string> Visible(IHtmlDocument page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var texts = new List<string> { page.Title ?? "" };
        foreach (var node in page.Body!.Descendants<IText>())
        {
            if (node.ParentElement is { } parent && Shown(parent) && node.Data.Trim() is { Length: > 0 } text)
            {
                texts.Add(text);
            }
        }

        foreach (var element in page.Body!.QuerySelectorAll("[aria-label],[title],[placeholder],[alt],input[type=submit][value]").Where(Shown))
        {
            texts.AddRange(new[] { "aria-label", "title", "placeholder", "alt" }.Select(element.GetAttribute).OfType<string>());
            if (element is IHtmlInputElement { Type: "submit" } submit)
            {
                texts.Add(submit.Value);
            }
        }

        return [.. texts.Where(t => t.Trim().Length > 0)];
    }

    private static bool Shown(IElement element) =>
        element.Closest("[lang]:not(html)") is null && element.Closest("script,style,template,code,kbd,.usercode,[hidden]") is null;
}
