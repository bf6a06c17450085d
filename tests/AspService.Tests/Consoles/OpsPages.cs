using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Identity;
using AspService.Tests.Identity;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using AspService.Server.Cli;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Consoles;

/// <summary>
/// The operator console in-process, as a browser would use it: GET with <c>Accept: text/html</c>, forms posted with
/// the antiforgery token the page rendered, redirects followed by hand (so tests see them).
/// </summary>
internal static class OpsPages
{
    public static async Task<HttpResponseMessage> GetHtmlAsync(this HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        return await client.SendAsync(request);
    }

    /// <summary>The page at <paramref name="path"/> (200 asserted), parsed.</summary>
    public static async Task<IHtmlDocument> PageAsync(this HttpClient client, string path)
    {
        var response = await client.GetHtmlAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {response.Headers.Location}");
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Submits the form matched by <paramref name="selector"/> on the page at <paramref name="path"/> with its own
    /// fields (antiforgery included), overridden by <paramref name="values"/>; follows one redirect.
    /// Returns the final answer and the page's path after redirects.
    /// </summary>
    public static async Task<(IHtmlDocument Page, string Path)> SubmitAsync(this HttpClient client, string path, string selector, IReadOnlyDictionary<string, string> values)
    {
        var page = await client.PageAsync(path);
        var form = page.QuerySelector(selector) as IHtmlFormElement;
        Assert.True(form is not null, $"{path}: no form {selector}");
        var fields = form.Elements.Where(e => e is IHtmlInputElement or IHtmlTextAreaElement or IHtmlSelectElement)
            .Select(e => (Name: e.GetAttribute("name"), Value: e switch
            {
                IHtmlInputElement i => i.Value,
                IHtmlTextAreaElement t => t.Value,
                IHtmlSelectElement s => s.Value ?? "",
                _ => "",
            }))
            .Where(f => f.Name is not null && !values.ContainsKey(f.Name))
            .Select(f => new KeyValuePair<string, string>(f.Name!, f.Value))
            .Concat(values).ToList();
        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : path;
        var answer = await client.PostAsync(action, new FormUrlEncodedContent(fields));
        var at = action;
        if (answer.StatusCode == HttpStatusCode.Redirect)
        {
            at = answer.Headers.Location!.OriginalString;
            answer = await client.GetHtmlAsync(at);
        }

        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{action}: {(int)answer.StatusCode}");
        return (new HtmlParser().ParseDocument(await answer.Content.ReadAsStringAsync()), at);
    }

    /// <summary><c>operators create</c> as the provider runs it: the address and the one-time password it printed.</summary>
    public static async Task<(string Email, string Password)> CreateOperatorByCliAsync(this AppFactory app)
    {
        var email = $"cli-{Guid.NewGuid():N}"[..14] + "@provider.example";
        var output = new StringWriter();
        Assert.Equal(0, await ServerCommands.RunAsync(["operators", "create", "--email", email], app.Services, output, new StringWriter()));
        var password = output.ToString().Split('\n').Single(l => l.Contains("one-time password:", StringComparison.Ordinal)).Split(": ")[1].Trim();
        app.Log.Secret(password);
        return (email, password);
    }

    /// <summary>The newest mail to the address: subject (decoded) and body, from the .eml files of the stand-in.</summary>
    public static (string Subject, string Body)? LatestMailTo(this AppFactory app, string address, string subjectContains)
    {
        var folder = Path.Combine(app.DataRoot, "mail");
        if (!Directory.Exists(folder))
        {
            return null;
        }

        return Directory.GetFiles(folder, "*.eml").Select(File.ReadAllText)
            .Where(t => Outbox.IsTo(t, address))
            .Select(t => (Subject: Outbox.Subject(t), Body: Identity.TenantIdentityKit.Body(t)))
            .LastOrDefault(m => m.Subject.Contains(subjectContains, StringComparison.Ordinal)) is { Subject: not null } m ? m : null;
    }
}
