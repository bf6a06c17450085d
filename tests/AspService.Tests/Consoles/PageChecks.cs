using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AspService.Tests.Consoles;

/// <summary>What every console page must pass in the browser: axe-core, one language, a phone-sized layout.</summary>
public static partial class PageChecks
{
    private static readonly string AxePath = Path.Combine(AppContext.BaseDirectory, "Consoles", "axe.min.js");

    /// <summary>
    /// Waits until the page is at an address matching <paramref name="urlGlob"/> (<c>*</c> matches anything) and its
    /// document has loaded, read from the page itself. Playwright's own wait (WaitForURL) falls back to waiting for the
    /// "load" lifecycle event when the address already matches, and that event went missing once in a while on a
    /// loaded machine although the page had loaded and the network was idle.
    /// </summary>
    public static async Task ArrivedAsync(IPage page, string urlGlob)
    {
        ArgumentNullException.ThrowIfNull(page);
        var pattern = new Regex("^" + Regex.Escape(urlGlob).Replace(@"\*", ".*", StringComparison.Ordinal) + "$");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (pattern.IsMatch(page.Url) && await page.EvaluateAsync<string>("() => document.readyState") == "complete")
                {
                    return;
                }
            }
            catch (PlaywrightException)
            {
                // The document went away while it was read (the navigation went on): read the next one.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Still at {page.Url}, waiting for {urlGlob}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>axe-core on the page: no serious or critical violation (the list is the failure message).</summary>
    public static async Task AxeAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxePath });
        var found = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations" +
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')" +
            ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))");
        var list = found.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(list.Count == 0, page.Url + "\n" + string.Join("\n", list));
    }

    /// <summary>
    /// Japanese mode shows no Latin-only text: every visible text node with two or more Latin letters and no Japanese
    /// must be an allowed name (product names, e-mail addresses, codes), or sit in an element marked another language.
    /// </summary>
    public static async Task NoLatinOnlyTextAsync(IPage page, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.Equal("ja", await page.GetAttributeAsync("html", "lang"));
        var latinOnly = (await VisibleTextsAsync(page)).Where(t => IsLatinOnly(t, allowed)).ToList();
        Assert.True(latinOnly.Count == 0, page.Url + " shows Latin-only text in Japanese mode: " + string.Join(" | ", latinOnly));
    }

    /// <summary>
    /// English mode shows no Japanese: no visible text holds a Japanese character once the allowed names (people,
    /// the municipality, devices — data, not labels) are taken out; elements marked another language are skipped.
    /// </summary>
    public static async Task NoJapaneseTextAsync(IPage page, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        var japanese = (await VisibleTextsAsync(page))
            .Where(t => Japanese().IsMatch(allowed.Aggregate(t, (r, a) => r.Replace(a, " ", StringComparison.Ordinal)))).ToList();
        Assert.True(japanese.Count == 0, page.Url + " shows Japanese in English mode: " + string.Join(" | ", japanese));
    }

    /// <summary>The page's visible text nodes, accessible names, titles and placeholders, outside other-language elements and code.</summary>
    private static Task<string[]> VisibleTextsAsync(IPage page) =>
        page.EvaluateAsync<string[]>("""
            () => {
              const out = [];
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const el = n.parentElement;
                if (!el || el.closest('[lang]:not(html)') || el.closest('script,style,code,kbd,.usercode')) continue;
                const style = getComputedStyle(el);
                if (style.display === 'none' || style.visibility === 'hidden') continue;
                const t = n.textContent.trim();
                if (t) out.push(t);
              }
              for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],input[type=submit][value]')) {
                if (el.closest('[lang]:not(html)')) continue;
                for (const a of ['aria-label', 'title', 'placeholder']) { if (el.getAttribute(a)) out.push(el.getAttribute(a)); }
              }
              out.push(document.title);
              return out;
            }
            """);

    internal static bool IsLatinOnly(string text, IReadOnlyCollection<string> allowed)
    {
        var rest = Email().Replace(text, " ");
        rest = allowed.Aggregate(rest, (r, a) => r.Replace(a, " ", StringComparison.Ordinal));
        return !Japanese().IsMatch(rest) && Words().IsMatch(rest);
    }

    /// <summary>A staff page on a phone in Japanese mode: axe-core, no Latin-only text but the allowed names, the phone's width.</summary>
    public static async Task PhonePageAsync(IPage page, params string[] allowed)
    {
        await AxeAsync(page);
        await NoLatinOnlyTextAsync(page, allowed);
        await FitsWidthAsync(page);
    }

    /// <summary>Whether the text has Japanese script (kana, kanji, Japanese punctuation or full-width forms).</summary>
    internal static bool HasJapanese(string text) => Japanese().IsMatch(text);

    /// <summary>Nothing wider than the viewport (a 390 px phone): no sideways scrolling.</summary>
    public static async Task FitsWidthAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var (scroll, client) = (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"),
            await page.EvaluateAsync<int>("() => document.documentElement.clientWidth"));
        Assert.True(scroll <= client, $"{page.Url}: content {scroll}px wide in a {client}px viewport");
    }

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex Email();

    [GeneratedRegex(@"[\p{IsHiragana}\p{IsKatakana}\p{IsCJKUnifiedIdeographs}\u3000-\u303F\uFF00-\uFFEF]")]
    private static partial Regex Japanese();

    [GeneratedRegex("[A-Za-z]{2,}")]
    private static partial Regex Words();
}
