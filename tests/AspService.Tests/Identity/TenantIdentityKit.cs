using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AspService.Identity;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Identity;

/// <summary>A signed-in tenant user's client and what a test needs to act as them again.</summary>
public sealed record TenantSession(TenantDto Tenant, HttpClient Client, CookieJar Cookies, string Email, string Password, byte[] Secret, IReadOnlyList<string> RecoveryCodes)
{
    public string Url(string path) => $"/t/{Tenant.Code}{path}";
}

/// <summary>Cookies kept by hand (by name only), so tests can move a cookie to another tenant on purpose.</summary>
public sealed class CookieJar : DelegatingHandler
{
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Values.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Values.Select(v => v.Key + "=" + v.Value)));
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            foreach (var cookie in cookies)
            {
                var pair = cookie.Split(';')[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..eq], pair[(eq + 1)..]);
                if (value.Length == 0 || cookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    Values.Remove(name);
                }
                else
                {
                    Values[name] = value;
                }
            }
        }

        return response;
    }
}

public static class TenantIdentityKit
{
    public const string GoodPassword = "Kasumigaseki-Hikari-2026";

    public static (HttpClient Client, CookieJar Jar) NewClient(this AppFactory app)
    {
        var jar = new CookieJar();
        return (app.CreateDefaultClient(app.ClientBaseAddress, jar), jar);
    }

    /// <summary>The token of the newest link of this kind mailed to the address (read from the .eml files).</summary>
    public static string MailedToken(this AppFactory app, string email, string page)
    {
        var folder = Path.Combine(app.DataRoot, "mail");
        var mails = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [];
        var match = mails.Select(f => (File: f, Text: File.ReadAllText(f)))
            .Where(m => Outbox.IsTo(m.Text, email))
            .Select(m => (m.File, Body: Body(m.Text)))
            .Where(m => m.Body.Contains("/" + page + "?token=", StringComparison.Ordinal))
            .OrderByDescending(m => File.GetLastWriteTimeUtc(m.File)).ThenByDescending(m => m.File, StringComparer.Ordinal)
            .FirstOrDefault();
        Assert.True(match.Body is not null, $"no {page} mail to {email}");
        var token = Regex.Match(match.Body, "/" + page + @"\?token=([A-Za-z0-9_-]+)").Groups[1].Value;
        app.Log.Secret(token);
        return token;
    }

    public static string Body(string eml)
    {
        var split = eml.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return Encoding.UTF8.GetString(Convert.FromBase64String(eml[(split + 4)..].Replace("\r\n", "", StringComparison.Ordinal)));
    }

    /// <summary>Onboards a tenant and signs its first admin in: invitation mail → accept → TOTP enrollment.</summary>
    public static async Task<TenantSession> TenantAdminAsync(this AppFactory app, HttpClient? ops = null)
    {
        ops ??= await app.OperatorClientAsync();
        var tenant = await app.OnboardTenantAsync(ops);
        var email = "admin@" + tenant.Code + ".lg.example";
        return await app.AcceptAndEnrollAsync(tenant, email);
    }

    /// <summary>Invites a user as the admin and signs them in.</summary>
    public static async Task<(TenantSession Session, Guid Id)> InviteAndSignInAsync(this AppFactory app, TenantSession admin, string role = "Staff", string? email = null)
    {
        email ??= $"staff-{Guid.NewGuid():N}"[..14] + "@" + admin.Tenant.Code + ".lg.example";
        var invite = await admin.Client.PostAsJsonAsync(admin.Url("/api/v1/users"), new { email, displayName = "山田 太郎", role });
        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        var id = (await invite.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (await app.AcceptAndEnrollAsync(admin.Tenant, email), id);
    }

    public static async Task<TenantSession> AcceptAndEnrollAsync(this AppFactory app, TenantDto tenant, string email)
    {
        var (client, jar) = app.NewClient();
        var token = app.MailedToken(email, "invitation");
        var accept = await client.PostAsJsonAsync($"/t/{tenant.Code}/api/v1/auth/invitation/accept", new { token, password = GoodPassword });
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        var login = await client.PostAsJsonAsync($"/t/{tenant.Code}/api/v1/auth/login", new { email, password = GoodPassword });
        Assert.Equal("totp-enroll", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("next").GetString());
        var enroll = await client.PostAsync($"/t/{tenant.Code}/api/v1/auth/totp/enroll", null);
        enroll.EnsureSuccessStatusCode();
        var base32 = (await enroll.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        app.Log.Secret(base32);
        app.Log.Secret(GoodPassword);
        var secret = Base32.Decode(base32);
        var verify = await client.PostAsJsonAsync($"/t/{tenant.Code}/api/v1/auth/totp", new { code = app.NextCode(secret) });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var codes = (await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        codes.ForEach(app.Log.Secret);
        return new TenantSession(tenant, client, jar, email, GoodPassword, secret, codes);
    }

    /// <summary>Signs an enrolled user in again on a fresh client (password, then a fresh TOTP code).</summary>
    public static async Task<TenantSession> SignInAgainAsync(this AppFactory app, TenantSession who)
    {
        var (client, jar) = app.NewClient();
        var login = await client.PostAsJsonAsync(who.Url("/api/v1/auth/login"), new { email = who.Email, password = who.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var verify = await client.PostAsJsonAsync(who.Url("/api/v1/auth/totp"), new { code = app.NextCode(who.Secret) });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        return who with { Client = client, Cookies = jar };
    }

    public static async Task<List<string>> AuditActionsAsync(this AppFactory app, TenantDto tenant)
    {
        await using var db = app.Services.GetRequiredService<TenantDbContextFactory>().CreateUnpooled(app.Binding(tenant));
        return await db.AuditLog.OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync();
    }

    /// <summary>Moves the fake clock to the next 30-second step and returns that step's code (codes are single use).</summary>
    public static string NextCode(this AppFactory app, byte[] secret)
    {
        app.Clock.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        return Totp.Compute(secret, Totp.StepAt(app.Clock.GetUtcNow()));
    }
}
