using System.Net.Http.Json;
using System.Text.Json;

namespace AspService.Benchmarks.SignIn;

/// <summary>
/// One person's cookies over a shared connection pool (500 cookie containers would be 500 pools): Set-Cookie of each
/// answer is kept by name and sent with the next request, as a browser would.
/// </summary>
public sealed class Browser(HttpClient http)
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value)));
        }

        var response = await http.SendAsync(request, ct);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
        {
            foreach (var pair in set.Select(c => c.Split(';')[0]))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                _cookies[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        return response;
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, JsonContent.Create(body), ct);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
