using System.Net.Http.Json;
using System.Text.Json;

namespace AspService.Benchmarks.SignIn;

/// <summary>
/// One person's cookies over a shared connection pool (500 cookie containers would be 500 pools): Set-Cookie of each
/// answer is kept by name and sent with the next request, as a browser would. <paramref name="kept"/> are the cookies
/// that survived from an earlier day (see <see cref="Persistent"/>).
/// </summary>
public sealed class Browser(HttpClient http, IReadOnlyDictionary<string, string>? kept = null)
{
    private readonly Dictionary<string, string> _cookies = kept is null ? new(StringComparer.Ordinal) : new(kept, StringComparer.Ordinal);
    private readonly HashSet<string> _persistent = kept is null ? new(StringComparer.Ordinal) : new(kept.Keys, StringComparer.Ordinal);

    /// <summary>What survives closing the browser: cookies with an expiry (the known-browser cookie), not the session's.</summary>
    public IReadOnlyDictionary<string, string> Persistent =>
        _cookies.Where(c => _persistent.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

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
            foreach (var cookie in set)
            {
                var pair = cookie.Split(';')[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                _cookies[pair[..eq]] = pair[(eq + 1)..];
                if (cookie.Contains("max-age=", StringComparison.OrdinalIgnoreCase) || cookie.Contains("expires=", StringComparison.OrdinalIgnoreCase))
                {
                    _persistent.Add(pair[..eq]);
                }
                else
                {
                    _persistent.Remove(pair[..eq]);
                }
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
