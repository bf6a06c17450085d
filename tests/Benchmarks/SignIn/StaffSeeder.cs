using System.Collections.Concurrent;
using System.Text;
using AspService.Identity;

namespace AspService.Benchmarks.SignIn;

/// <summary>
/// Setup, not measured: one municipality onboarded through the operator API, its first admin signed in, N staff
/// imported by CSV (the admin's bulk path), and each staff member through the invitation link, a password and TOTP
/// enrollment, as on their first day.
/// </summary>
public static class StaffSeeder
{
    public const string Password = "Shiyakusho-Madoguchi-2026";

    private static readonly string[] Loopback = ["127.0.0.1/32"];

    public static async Task<(string Code, List<StaffMember> Staff)> SeedAsync(HttpClient http, HttpClient ops, string dataRoot, int count, bool egress, TextWriter output, CancellationToken ct)
    {
        var code = "131016"; // 千代田区
        var admin = "admin@" + code + ".lg.example";
        await Browser.JsonAsync(await ops.PostAsync(new Uri("/api/v1/ops/tenants", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new { code, adminEmail = admin }), ct), "onboard", ct);
        while ((await Browser.JsonAsync(await ops.GetAsync(new Uri("/api/v1/ops/tenants/" + code, UriKind.Relative), ct), "tenant", ct)).GetProperty("state").GetString() != "Active")
        {
            await Task.Delay(200, ct);
        }

        var adminBrowser = new Browser(http);
        await EnrollAsync(adminBrowser, code, admin, MailPickup.InvitationTokens(dataRoot)[admin], ct);
        var emails = Enumerable.Range(1, count).Select(i => $"staff{i:D4}@{code}.lg.example").ToList();
        var csv = new StringBuilder("email,name,department,role\n");
        foreach (var (email, i) in emails.Select((e, i) => (e, i)))
        {
            csv.Append(email).Append(",職員 ").Append(i + 1).Append(",総務課,Staff\n");
        }

        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString()));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        await Browser.JsonAsync(await adminBrowser.SendAsync(HttpMethod.Post, $"/t/{code}/api/v1/users/import", content, ct), "import", ct);
        output.WriteLine($"   imported {count} staff by CSV; each accepts the invitation and enrolls TOTP…");
        if (egress)
        {
            // The city hall declares its egress address (decision 0065): its staff share the tenant's ceiling.
            await Browser.JsonAsync(await adminBrowser.SendAsync(HttpMethod.Put, $"/t/{code}/api/v1/tenant/egress",
                System.Net.Http.Json.JsonContent.Create(new { networks = Loopback }), ct), "egress", ct);
        }

        var tokens = MailPickup.InvitationTokens(dataRoot);
        var staff = new ConcurrentBag<StaffMember>();
        await Parallel.ForEachAsync(emails, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (email, token) =>
        {
            var browser = new Browser(http);
            var secret = await EnrollAsync(browser, code, email, tokens[email], token);
            staff.Add(new StaffMember(email, Password, secret, browser.Persistent));
        });
        return (code, [.. staff.OrderBy(s => s.Email, StringComparer.Ordinal)]);
    }

    /// <summary>Invitation → password → sign-in → TOTP enrollment with a code from the returned secret; the secret.</summary>
    private static async Task<byte[]> EnrollAsync(Browser browser, string code, string email, string invitation, CancellationToken ct)
    {
        await Browser.JsonAsync(await browser.PostJsonAsync($"/t/{code}/api/v1/auth/invitation/accept", new { token = invitation, password = Password }, ct), "accept", ct);
        await Browser.JsonAsync(await browser.PostJsonAsync($"/t/{code}/api/v1/auth/login", new { email, password = Password }, ct), "login", ct);
        var enroll = await Browser.JsonAsync(await browser.SendAsync(HttpMethod.Post, $"/t/{code}/api/v1/auth/totp/enroll", null, ct), "enroll", ct);
        var secret = Base32.Decode(enroll.GetProperty("secret").GetString()!);
        await Browser.JsonAsync(await browser.PostJsonAsync($"/t/{code}/api/v1/auth/totp", new { code = Totp.Compute(secret, Totp.StepAt(DateTimeOffset.UtcNow)) }, ct), "totp", ct);
        return secret;
    }
}
