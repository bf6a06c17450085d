using System.Text.Json.Nodes;
using AspService.Agent.Configuration;

namespace AspService.Agent.Enrollment;

/// <summary>The enrollment as the --json output shows it (the same names as agent.json).</summary>
public static class ConfigView
{
    public static JsonObject Describe(string result, AgentConfig config, ConfigDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(directory);
        return new JsonObject
        {
            ["result"] = result,
            ["configDir"] = directory.Path,
            ["server"] = config.Server.ToString(),
            ["agentEndpoint"] = config.AgentEndpoint.ToString(),
            ["tenantId"] = config.TenantId,
            ["tenantCode"] = config.TenantCode,
            ["tenantName"] = config.TenantName,
            ["terminalId"] = config.TerminalId,
            ["kind"] = config.Kind,
            ["name"] = config.Name,
            ["state"] = config.State,
            ["serial"] = config.Serial,
            ["notBefore"] = config.NotBefore,
            ["notAfter"] = config.NotAfter,
            ["renewalOpensAt"] = config.RenewalOpensAt,
            ["keyStore"] = config.KeyStore,
        };
    }
}
