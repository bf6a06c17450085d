using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AspService.Identity;
using AspService.Server.Observability;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;
using AspService.Tests.Relay;
using AspService.Tests.Terminals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AspService.Tests.Observability;

/// <summary>The management listener over real sockets: Prometheus text there, and nowhere else.</summary>
public sealed partial class MetricsEndpointTests : IDisposable
{
    private readonly AppFactory _app = new(kestrel: true, settings: new()
    {
        ["Observability:MetricsListen"] = "http://127.0.0.1:0",
        ["Logging:LogLevel:Default"] = "Information",
    });

    public void Dispose() => _app.Dispose();

    private Uri MetricsUrl() => new(_app.Services.GetRequiredService<MetricsListener>().Address!, "/metrics");

    private async Task<string> ScrapeAsync()
    {
        using var client = new HttpClient();
        var response = await client.GetAsync(MetricsUrl());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Metrics_are_served_on_the_management_listener_and_not_on_the_public_one()
    {
        using var web = _app.CreateDefaultClient(_app.WebAddress);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/metrics")).StatusCode);
        Assert.NotEqual(_app.WebAddress.Port, MetricsUrl().Port);
        Assert.NotEqual(_app.AgentAddress.Port, MetricsUrl().Port);

        // The scrape that follows the requests above sees them (metrics are read at scrape time, no interval).
        var text = await ScrapeAsync();
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/healthz\"", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^aspservice_relay_sessions_live(\{[^}]*\})? 0", text);
        Assert.Matches(@"(?m)^aspservice_relay_office_agents_online(\{[^}]*\})? 0", text);
        Assert.Matches(@"(?m)^aspservice_tenants\{[^}]*state=""Active""[^}]*\} 0", text);

        // The management listener serves nothing else.
        using var management = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync(new Uri(MetricsUrl(), "/healthz"))).StatusCode);
    }

    [Fact]
    public async Task The_relay_port_has_no_metrics_and_its_refusals_are_counted()
    {
        // Without a client certificate the relay drops the connection after the handshake, before any HTTP.
        using var anonymous = _app.MtlsClient(null);
        await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.GetAsync(new Uri(_app.AgentAddress, "/metrics")));
        var text = await Eventually.ValueAsync(ScrapeAsync, t => t.Contains("aspservice_relay_handshakes_refused", StringComparison.Ordinal));
        Assert.Matches(@"(?m)^aspservice_relay_handshakes_refused_total\{[^}]*reason=""no_certificate""[^}]*\} [1-9]", text);

        // With an enrolled terminal's certificate the relay answers HTTP, and /metrics is not one of its paths.
        var scenario = await _app.ScenarioAsync();
        using var office = _app.MtlsClient(scenario.Office.Certificate);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync(new Uri(_app.AgentAddress, "/metrics"))).StatusCode);
    }

    [Fact]
    public async Task A_journey_leaves_no_secret_token_or_address_in_logs_or_metric_labels()
    {
        var capture = new LogCapture();
        _app.Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);

        // Operator sign-in with TOTP, onboarding, tenant admin and staff sign-in, enrollment, device flow, a refused session.
        var scenario = await _app.ScenarioAsync();
        var token = await scenario.Admin.TokenAsync("office");
        using var web = _app.CreateDefaultClient(_app.WebAddress);
        var extra = await TerminalKit.EnrollAsync(web, scenario.Admin.Tenant.Code, token);
        var refused = await scenario.RequestSessionAsync();
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode); // the office agent is not connected
        var login = await web.PostAsJsonAsync("/api/v1/ops/auth/login", new { email = "nobody@provider.example", password = "Wrong-Password-99" });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);

        var text = await Eventually.ValueAsync(ScrapeAsync, t => t.Contains("aspservice_relay_sessions_refused", StringComparison.Ordinal));
        Assert.Matches(@"(?m)^aspservice_relay_sessions_refused_total\{[^}]*reason=""office-offline""[^}]*\} 1", text);
        Assert.Matches(@"(?m)^aspservice_tenants_provisioning_duration_seconds_count(\{[^}]*\})? [1-9]", text);

        string[] secrets =
        [
            AppFactory.OperatorPassword, TenantIdentityKit.GoodPassword, "Wrong-Password-99", token, scenario.AccessToken,
            Base32.Encode(scenario.Admin.Secret), Base32.Encode(scenario.Staff.Secret), scenario.Admin.RecoveryCodes[0],
            scenario.Admin.Email, scenario.Staff.Email, "nobody@provider.example",
            .. scenario.Admin.Cookies.Values.Values, .. scenario.Staff.Cookies.Values.Values,
        ];
        var labels = string.Join("\n", LabelValue().Matches(text).Select(m => m.Groups[1].Value));
        Assert.NotEmpty(labels);
        Assert.NotEmpty(capture.Lines);
        foreach (var secret in secrets.Where(s => s.Length >= 8))
        {
            Assert.DoesNotContain(secret, labels, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(capture.Lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }

        // No e-mail address at all, and no tenant code or identifier in a metric label (bounded cardinality).
        Assert.DoesNotMatch(Email(), labels);
        Assert.DoesNotContain(capture.Lines, line => Email().IsMatch(line));
        Assert.DoesNotContain(scenario.Admin.Tenant.Code, labels, StringComparison.Ordinal);
        Assert.DoesNotContain(scenario.Admin.Tenant.Id.ToString(), labels, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(extra.Id.ToString(), labels, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("=\"([^\"]*)\"")]
    private static partial Regex LabelValue();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex Email();
}
