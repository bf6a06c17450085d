using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AspService.Agent.Configuration;
using AspService.Agent.Output;
using AspService.Agent.Transport;

namespace AspService.Agent.Home;

/// <summary>
/// The staff member's sign-in for home mode: the OAuth device authorization grant at the tenant's web address
/// (<c>server</c> in agent.json), tokens kept in tokens.json (0600) and refreshed with the refresh token. The
/// browser step (password + one-time code) happens on any device; the agent never sees the password.
/// </summary>
public sealed class DeviceSignIn(ConfigDirectory directory, Uri server, HttpClient web, ServerTrust trust, AgentContext context)
{
    public const string ClientId = "aspagent";
    public const string Scope = "openid offline_access";
    public const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>An access token this close to its end is refreshed first (clocks differ; a request takes time).</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(60);

    private readonly AgentText _text = context.Text;

    /// <summary>
    /// A usable access token: the saved one, else a refreshed one, else a new sign-in. <paramref name="rejected"/>
    /// is a token the server just refused (revoked): it is not offered again.
    /// </summary>
    public async Task<string> AccessTokenAsync(string? rejected, CancellationToken ct)
    {
        var saved = Load();
        var now = context.Time.GetUtcNow();
        if (saved is not null && saved.AccessToken != rejected && saved.AccessTokenExpiresAt - Margin > now)
        {
            return saved.AccessToken;
        }

        if (saved?.RefreshToken is { Length: > 0 } refresh)
        {
            var refreshed = await RedeemAsync([new("grant_type", "refresh_token"), new("refresh_token", refresh)], ct).ConfigureAwait(false);
            if (refreshed.Tokens is { } tokens)
            {
                return Save(tokens).AccessToken;
            }

            // Refused (expired, revoked, user disabled): the old tokens are worthless; sign in again.
            directory.DeleteOne(ConfigDirectory.TokensFile, _text);
        }

        return (await DeviceFlowAsync(ct).ConfigureAwait(false)).AccessToken;
    }

    private async Task<JsonElement> DeviceFlowStartAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ServerAddress.Combine(server, "connect/device"))
        {
            Content = new FormUrlEncodedContent([new("client_id", ClientId), new("scope", Scope)]),
        };
        using var response = await ServerCall.SendAsync(web, request, trust, mutualTls: false, _text, ct).ConfigureAwait(false);
        var body = await ReadJsonAsync(response, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK || body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("device_code", out _)
            || !body.TryGetProperty("user_code", out _) || !body.TryGetProperty("verification_uri", out _))
        {
            throw OAuthFailure(response.StatusCode, body);
        }

        return body;
    }

    private async Task<SavedTokens> DeviceFlowAsync(CancellationToken ct)
    {
        var device = await DeviceFlowStartAsync(ct).ConfigureAwait(false);
        var deviceCode = device.GetProperty("device_code").GetString()!;
        var userCode = device.GetProperty("user_code").GetString()!;
        var uri = device.GetProperty("verification_uri").GetString()!;
        var complete = device.TryGetProperty("verification_uri_complete", out var c) ? c.GetString() : null;
        var lifetime = TimeSpan.FromSeconds(device.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 600);
        var interval = TimeSpan.FromSeconds(device.TryGetProperty("interval", out var i) && i.TryGetInt32(out var every) && every > 0 ? every : 5);
        context.Console.Event(
            new JsonObject { ["event"] = "sign-in", ["verificationUri"] = uri, ["verificationUriComplete"] = complete, ["userCode"] = userCode, ["expiresIn"] = (int)lifetime.TotalSeconds },
            _text.Get("sign_in", uri, userCode));
        var deadline = context.Time.GetUtcNow() + lifetime;
        while (context.Time.GetUtcNow() < deadline)
        {
            await Task.Delay(interval, context.Time, ct).ConfigureAwait(false);
            var answer = await RedeemAsync([new("grant_type", DeviceGrant), new("device_code", deviceCode)], ct).ConfigureAwait(false);
            if (answer.Tokens is { } tokens)
            {
                // Saved before it is announced: whoever reads the event (a script, a test) finds tokens.json there.
                Save(tokens);
                context.Console.Event(new JsonObject { ["event"] = "signed-in" }, _text.Get("signed_in"));
                return tokens;
            }

            switch (answer.Error)
            {
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval += TimeSpan.FromSeconds(5);
                    continue;
                case "access_denied":
                    throw new AgentException(ExitCode.SignInFailed, "sign-in-failed", _text.Get("sign_in_denied"));
                case "expired_token":
                    throw new AgentException(ExitCode.SignInFailed, "sign-in-failed", _text.Get("sign_in_expired"));
                default:
                    throw new AgentException(ExitCode.SignInFailed, "sign-in-failed", _text.Get("sign_in_failed", answer.Description ?? answer.Error ?? "?"));
            }
        }

        throw new AgentException(ExitCode.SignInFailed, "sign-in-failed", _text.Get("sign_in_expired"));
    }

    private sealed record Redeemed(SavedTokens? Tokens, string? Error, string? Description);

    /// <summary>One call of the token endpoint: tokens, or the OAuth error (400/401 answers are errors, not failures).</summary>
    private async Task<Redeemed> RedeemAsync(KeyValuePair<string, string>[] grant, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ServerAddress.Combine(server, "connect/token"))
        {
            Content = new FormUrlEncodedContent([.. grant, new("client_id", ClientId)]),
        };
        using var response = await ServerCall.SendAsync(web, request, trust, mutualTls: false, _text, ct).ConfigureAwait(false);
        var body = await ReadJsonAsync(response, ct).ConfigureAwait(false);
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw OAuthFailure(response.StatusCode, body);
        }

        if (response.StatusCode == HttpStatusCode.OK && body.TryGetProperty("access_token", out var access) && access.GetString() is { Length: > 0 } token)
        {
            var expiresIn = body.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 300;
            return new Redeemed(new SavedTokens
            {
                Server = server,
                AccessToken = token,
                AccessTokenExpiresAt = context.Time.GetUtcNow() + TimeSpan.FromSeconds(expiresIn),
                RefreshToken = body.TryGetProperty("refresh_token", out var r) ? r.GetString() : null,
                SavedAt = context.Time.GetUtcNow(),
            }, null, null);
        }

        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized && body.TryGetProperty("error", out var error))
        {
            return new Redeemed(null, error.GetString(), body.TryGetProperty("error_description", out var d) ? d.GetString() : null);
        }

        throw OAuthFailure(response.StatusCode, body);
    }

    private AgentException OAuthFailure(HttpStatusCode status, JsonElement body)
    {
        var message = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error_description", out var d) ? d.GetString()
            : body.ValueKind == JsonValueKind.Object && body.TryGetProperty("detail", out var detail) ? detail.GetString()
            : null;
        var failure = new AgentException(ExitCode.ServerProblem, "server-problem", AgentConsole.OneLine(message ?? _text.Get("http_error", (int)status)));
        failure.Details["status"] = (int)status;
        return failure;
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>The saved tokens, if they were issued by this enrollment's server.</summary>
    private SavedTokens? Load()
    {
        var json = directory.ReadOptional(ConfigDirectory.TokensFile, _text);
        if (json is null)
        {
            return null;
        }

        try
        {
            var saved = JsonSerializer.Deserialize(json, HomeJson.Default.SavedTokens);
            return saved?.Server == server ? saved : null;
        }
        catch (JsonException)
        {
            return null; // A damaged file only costs a new sign-in.
        }
    }

    private SavedTokens Save(SavedTokens tokens)
    {
        directory.WriteOne(ConfigDirectory.TokensFile, JsonSerializer.Serialize(tokens, HomeJson.Default.SavedTokens) + "\n", _text);
        return tokens;
    }
}
