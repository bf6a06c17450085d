using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace AspService.Tests.Consoles;

/// <summary>The browser step of the device flow as a person does it: open the link, press a button on the page.</summary>
public static class DeviceApproval
{
    /// <summary>Opens <c>{verifyUrl}?user_code=…</c> and presses Approve (or Deny); returns the answer to the POST.</summary>
    public static async Task<HttpResponseMessage> DecideAsync(HttpClient browser, string verifyUrl, string userCode, string handler = "Approve")
    {
        ArgumentNullException.ThrowIfNull(browser);
        var pageUrl = new Uri(browser.BaseAddress ?? new Uri("http://localhost"), verifyUrl + "?user_code=" + Uri.EscapeDataString(userCode));
        using var page = await browser.GetAsync(pageUrl);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode} {html}");
        var (action, fields) = Form(html, handler);
        using var content = new FormUrlEncodedContent(fields);
        return await browser.PostAsync(new Uri(pageUrl, action), content);
    }

    /// <summary>Approves and checks the page answered with the confirmation (post/redirect/get).</summary>
    public static async Task ApproveAsync(HttpClient browser, string verifyUrl, string userCode)
    {
        using var approved = await DecideAsync(browser, verifyUrl, userCode);
        // A client that follows redirects lands on the confirmation page itself.
        var landed = approved.StatusCode == HttpStatusCode.Redirect ? approved.Headers.Location!.OriginalString
            : approved.StatusCode == HttpStatusCode.OK ? approved.RequestMessage!.RequestUri!.PathAndQuery : null;
        Assert.True(landed?.EndsWith("/connect/done?result=approved", StringComparison.Ordinal) == true,
            $"{(int)approved.StatusCode} {await approved.Content.ReadAsStringAsync()}");
    }

    /// <summary>The action and fields of the form whose submit button has this page handler.</summary>
    public static (string Action, List<KeyValuePair<string, string>> Fields) Form(string html, string handler)
    {
        var document = new HtmlParser().ParseDocument(html);
        var button = document.QuerySelectorAll("button[type=submit]").OfType<IHtmlButtonElement>()
            .FirstOrDefault(b => b.GetAttribute("formaction")?.Contains("handler=" + handler, StringComparison.Ordinal) == true);
        Assert.True(button?.Form is not null, $"no {handler} button in: {html}");
        var fields = button!.Form!.Elements.OfType<IHtmlInputElement>().Where(i => i.Name is not null)
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value)).ToList();
        return (button.GetAttribute("formaction")!, fields);
    }
}
