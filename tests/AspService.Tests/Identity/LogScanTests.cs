using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Server.Tenancy;
using AspService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspService.Tests.Identity;

/// <summary>
/// A whole journey at the most verbose log levels, then a scan of everything logged for every secret and
/// personal datum the journey created: applicant e-mail, phone and name, passwords, TOTP secrets, recovery
/// codes, invitation and reset tokens, device and user codes, access and refresh tokens.
/// </summary>
public sealed class LogScanTests
{
    private static readonly Dictionary<string, string?> Verbose = new()
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:OpenIddict"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Information",
    };

    [Fact]
    public async Task Journey_AtTraceLevel_LogsNoSecretAndNoPersonalData()
    {
        using var app = new AppFactory(settings: Verbose);
        var log = app.Log;
        var lg = AppFactory.FreshMunicipality();
        var email = $"kikaku-{Guid.NewGuid():N}"[..15] + "@example.lg.jp";
        const string phone = "03-5550-0123";
        const string contact = "ログ検査 申込者太郎";
        foreach (var value in new[] { email, phone, contact })
        {
            log.Secret(value);
        }

        // Signup (anonymous) → operator approval → provisioning → the first admin's invitation to the applicant.
        var applied = await app.ClientFor().PostAsJsonAsync("/api/v1/signups",
            new { code = lg.Code, department = "総務部情報政策課", contactName = contact, email, phone, preferredStartDate = "2027-04-01" });
        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        var status = await app.ClientFor().GetAsync(applied.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var ops = await app.OperatorClientAsync();
        var id = (await applied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await ops.PostAsync($"/api/v1/ops/applications/{id}/approve", null)).StatusCode);
        await app.RunTenantWorkAsync();
        var tenant = await ops.GetFromJsonAsync<TenantDto>($"/api/v1/ops/tenants/{lg.Code}", AppFactory.Json);

        // Invitation page opened from the mail (token in the query string), then accept, password, TOTP, recovery codes.
        var invitationToken = app.MailedToken(email, "invitation");
        await app.ClientFor().GetAsync($"/t/{lg.Code}/invitation/?token={invitationToken}");
        var admin = await app.AcceptAndEnrollAsync(tenant!, email);
        var (staff, _) = await app.InviteAndSignInAsync(admin);

        // A wrong password is logged as a failure, never as the password.
        const string wrong = "Wrong-Guess-Password-77";
        log.Secret(wrong);
        var failed = await app.ClientFor().PostAsJsonAsync(admin.Url("/api/v1/auth/login"), new { email = staff.Email, password = wrong });
        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);

        // Device flow: codes, approval by the signed-in staff member, tokens, refresh, a call with the token.
        var agent = DeviceFlowTests.Agent(app);
        var device = await DeviceFlowTests.RequestDeviceCodeAsync(agent, lg.Code);
        var deviceCode = device.GetProperty("device_code").GetString()!;
        var userCode = device.GetProperty("user_code").GetString()!;
        log.Secret(deviceCode);
        log.Secret(userCode);
        log.Secret(userCode.Replace("-", "", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, (await DeviceFlowTests.PollAsync(agent, lg.Code, deviceCode)).StatusCode); // pending
        await Consoles.DeviceApproval.ApproveAsync(staff.Client, DeviceFlowTests.Https(lg.Code, "/connect/verify"), userCode);
        var issued = await (await DeviceFlowTests.PollAsync(agent, lg.Code, deviceCode)).Content.ReadFromJsonAsync<JsonElement>();
        var access = issued.GetProperty("access_token").GetString()!;
        var refresh = issued.GetProperty("refresh_token").GetString()!;
        log.Secret(access);
        log.Secret(refresh);
        Assert.Equal(HttpStatusCode.OK, (await DeviceFlowTests.WhoAmIAsync(agent, lg.Code, access)).StatusCode);
        var refreshed = await (await DeviceFlowTests.RefreshAsync(agent, lg.Code, refresh)).Content.ReadFromJsonAsync<JsonElement>();
        log.Secret(refreshed.GetProperty("access_token").GetString());
        log.Secret(refreshed.GetProperty("refresh_token").GetString());

        // Password reset by mailed link.
        var client = app.ClientFor();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync(admin.Url("/api/v1/auth/password/forgot"), new { email })).StatusCode);
        var resetToken = app.MailedToken(email, "password-reset");
        const string newPassword = "Log-Scan-New-Secret-2026";
        log.Secret(newPassword);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(admin.Url("/api/v1/auth/password/reset"), new { token = resetToken, password = newPassword })).StatusCode);

        // An operator created by the command prints a one-time password: it goes to the console, not to the log.
        var output = new StringWriter();
        Assert.Equal(0, await AspService.Server.Cli.ServerCommands.RunAsync(["operators", "create", "--email", $"op-{Guid.NewGuid():N}"[..12] + "@provider.example"], app.Services, output, new StringWriter()));
        log.Secret(output.ToString().Split('\n').Single(l => l.Contains("one-time password", StringComparison.Ordinal)).Split(": ")[1].Trim());

        // The capture really saw the verbose protocol logs (else the scan would prove nothing).
        Assert.Contains(log.Lines, l => l.Contains(" OpenIddict.", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.StartsWith("Debug ", StringComparison.Ordinal));
        Assert.Empty(log.Leaks());
    }

    [Fact]
    public void Scan_FindsRegisteredSecretsAndCredentialShapes_NotOrdinaryLines()
    {
        var log = new CapturedLog();
        var logger = log.CreateLogger("Test");
        log.Secret("Kasumigaseki-Hikari-2026");
        logger.LogInformation("Operator {OperatorId} signed in", Guid.NewGuid());
        logger.LogInformation("Writing value of type {Type}; CancellationToken={Ct}", "PolicyView", "System.Threading.CancellationToken");
        Assert.Empty(log.Leaks());

        logger.LogWarning("sign-in failed for {Password}", "Kasumigaseki-Hikari-2026");
        logger.LogInformation("The request was extracted: {Request}", "{\"device_code\": \"abcDEF123\", \"client_id\": \"aspagent\"}");
        logger.LogInformation("GET /t/131016/connect/verify?user_code=ABCD-EFGH");
        logger.LogInformation("Response: {Body}", "{\"access_token\": \"[redacted]\"}");

        Assert.Equal(3, log.Leaks().Count);
    }
}
