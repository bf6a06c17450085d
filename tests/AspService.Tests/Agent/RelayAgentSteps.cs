using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AspService.Tests.Identity;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Agent;

/// <summary>
/// Steps of the real-process relay tests against a <see cref="RelayAgentHost"/>: enroll an agent, set the telework
/// policy, approve a device sign-in in the browser, look at a terminal's online flag.
/// </summary>
public static class RelayAgentSteps
{
    /// <summary>The tenant's base address on the https listener (the device flow is https only).</summary>
    public static string SecureServer(this RelayAgentHost host, TenantSession admin) =>
        $"{host.SecureWebAddress.ToString().TrimEnd('/')}/t/{admin.Tenant.Code}";

    /// <summary>Runs <c>aspagent enroll</c> with the token into <paramref name="configDir"/>; the new terminal's id.</summary>
    public static async Task<Guid> EnrollAsync(this RelayAgentHost host, TenantSession admin, string token, string name, string configDir)
    {
        var run = await AgentProcess.RunAsync(
            ["enroll", "--server", host.SecureServer(admin), "--ca-file", host.WebCa.CaPath, "--token", token, "--name", name, "--config", configDir, "--json"], null);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("active", (string?)run.Json["state"]);
        return Guid.Parse((string)run.Json["terminalId"]!);
    }

    /// <summary>Every day and hour allowed, so the test does not depend on when it runs; <paramref name="changes"/> on top.</summary>
    public static async Task PutPolicyAsync(TenantSession admin, object changes)
    {
        var policy = new Dictionary<string, object?>
        {
            ["allowedWeekdays"] = Enum.GetNames<DayOfWeek>(),
            ["allowedFrom"] = "00:00:00",
            ["allowedUntil"] = "1.00:00:00",
            ["allowOnClosedDays"] = true,
        };
        foreach (var property in JsonSerializer.SerializeToElement(changes, AppFactory.Json).EnumerateObject())
        {
            policy[property.Name] = property.Value;
        }

        var response = await admin.Client.PutAsJsonAsync(admin.Url("/api/v1/policy"), policy);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public static async Task<bool> OnlineAsync(TenantSession admin, Guid terminalId, bool expected)
    {
        var terminals = await admin.Client.GetFromJsonAsync<JsonElement>(admin.Url("/api/v1/terminals?kind=office"));
        var items = terminals.ValueKind == JsonValueKind.Array ? terminals : terminals.GetProperty("items");
        var terminal = items.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == terminalId);
        return terminal.GetProperty("online").GetBoolean() == expected;
    }

    /// <summary>The browser step of the device flow: the signed-in staff member approves the code (over https).</summary>
    public static async Task ApproveAsync(this RelayAgentHost host, TenantSession admin, TenantSession staff, string userCode)
    {
        using var browser = host.WebCa.Browser(staff.Cookies);
        await Consoles.DeviceApproval.ApproveAsync(browser, $"{host.SecureServer(admin)}/connect/verify", userCode);
    }
}
