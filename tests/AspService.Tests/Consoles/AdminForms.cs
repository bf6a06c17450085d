using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using AspService.Tests.Identity;

namespace AspService.Tests.Consoles;

/// <summary>Reading and submitting the administrators' pages in-process, as a browser without script would.</summary>
internal static class AdminForms
{
    // Where each parsed page came from: a form without an action posts back to it.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IHtmlDocument, Uri> Sources = [];

    public static async Task<IHtmlDocument> GetAsync(TenantSession who, string path)
    {
        var response = await who.Client.GetAsync(who.Url(path));
        return await HtmlAsync(response);
    }

    public static async Task<IHtmlDocument> HtmlAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}");
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        if (response.RequestMessage?.RequestUri is { } source)
        {
            Sources.AddOrUpdate(document, source);
        }

        return document;
    }

    /// <summary>
    /// Submits the page's form matched by the selector with its own fields (antiforgery included) plus the given ones,
    /// following a post/redirect/get; returns the final answer.
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitAsync(TenantSession who, IHtmlDocument page, string selector,
        params (string Name, string Value)[] set)
    {
        var form = (IHtmlFormElement?)page.QuerySelector(selector) ?? throw new Xunit.Sdk.XunitException("no form " + selector);
        var action = form.GetAttribute("action") is { Length: > 0 } a ? a
            : Sources.TryGetValue(page, out var source) ? source.PathAndQuery : throw new Xunit.Sdk.XunitException("unknown page address");
        var fields = Fields(form).Where(f => !set.Any(s => s.Name == f.Key))
            .Concat(set.Select(s => new KeyValuePair<string, string>(s.Name, s.Value))).ToList();
        return await FollowAsync(who, await who.Client.PostAsync(action, new FormUrlEncodedContent(fields)));
    }

    public static async Task<HttpResponseMessage> FollowAsync(TenantSession who, HttpResponseMessage response)
    {
        for (var i = 0; i < 3 && response.StatusCode == HttpStatusCode.Redirect; i++)
        {
            response = await who.Client.GetAsync(response.Headers.Location);
        }

        return response;
    }

    /// <summary>The form's inputs that a browser would send (hidden and text; checked boxes only).</summary>
    public static List<KeyValuePair<string, string>> Fields(IHtmlFormElement form) =>
        [.. form.Elements.OfType<IHtmlInputElement>()
            .Where(i => i.Name is not null && i.Type is not ("file" or "submit") && (i.Type is not ("checkbox" or "radio") || i.IsChecked))
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))];

    public static string Token(IHtmlDocument page) =>
        page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
}
