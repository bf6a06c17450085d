using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Identity;

namespace AspService.Benchmarks.Infrastructure;

/// <summary>
/// Signs in as an operator over HTTP the way a person would: the one-time password, then TOTP enrollment
/// with a code computed from the returned secret. The resulting client carries the operator cookie.
/// </summary>
public static class OperatorSession
{
    public static HttpClient NewClient(Uri baseAddress, int connections) =>
        new(new SocketsHttpHandler
        {
            CookieContainer = new CookieContainer(),
            UseCookies = true,
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(30),
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };

    /// <summary>Creates the operator with the server's own command and returns its one-time password.</summary>
    public static string ParsePassword(string commandOutput)
    {
        const string marker = "one-time password:";
        var line = commandOutput.Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal))
            ?? throw new InvalidOperationException("operators create printed no password: " + commandOutput);
        return line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim();
    }

    public static async Task SignInAsync(HttpClient http, string email, string password, CancellationToken ct)
    {
        using (var login = await http.PostAsJsonAsync("/api/v1/ops/auth/login", new { email, password }, ct))
        {
            await EnsureAsync(login, "login", ct);
        }

        string secret;
        using (var enroll = await http.PostAsync(new Uri("/api/v1/ops/auth/totp/enroll", UriKind.Relative), null, ct))
        {
            await EnsureAsync(enroll, "totp/enroll", ct);
            using var body = JsonDocument.Parse(await enroll.Content.ReadAsStringAsync(ct));
            secret = body.RootElement.GetProperty("secret").GetString()!;
        }

        var code = Totp.Compute(Base32.Decode(secret), Totp.StepAt(DateTimeOffset.UtcNow));
        using (var verify = await http.PostAsJsonAsync("/api/v1/ops/auth/totp", new { code }, ct))
        {
            await EnsureAsync(verify, "totp", ct);
        }

        // The one-time password from `operators create` must be replaced before any other operator request (decision 0066).
        var newPassword = "Bench-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        using var change = await http.PostAsJsonAsync("/api/v1/ops/me/password", new { currentPassword = password, newPassword }, ct);
        await EnsureAsync(change, "password change", ct);
    }

    public static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}
