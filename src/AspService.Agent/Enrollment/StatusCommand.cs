using System.Net;
using System.Text.Json.Nodes;
using AspService.Agent.Configuration;
using AspService.Agent.Output;
using AspService.Agent.Transport;

namespace AspService.Agent.Enrollment;

/// <summary>
/// <c>aspagent status</c>: what agent.json says, then whether the agent endpoint accepts the certificate.
/// Exit 0 only when the server answered; the report is printed either way.
/// </summary>
public static class StatusCommand
{
    public static async Task<ExitCode> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = context.Text;
        var (directory, config) = context.Enrolled();
        var localState = LocalState(config, context.Time.GetUtcNow());
        var report = ConfigView.Describe("status", config, directory);
        report["localState"] = localState;
        List<string> lines =
        [
            text.Get("status_terminal", text.Word("kind_", config.Kind), config.Name, config.TerminalId),
            text.Get("status_tenant", config.TenantName, config.TenantCode),
            text.Get("status_certificate", config.Serial, text.Date(config.NotAfter), text.Date(config.RenewalOpensAt)),
            text.Get("status_local", text.Word("local_", localState), directory.Path),
        ];
        try
        {
            using var connection = TerminalConnection.Open(directory, config, text);
            using var response = await connection.SendAsync(HttpMethod.Get, "api/v1/terminal", null, cancellationToken).ConfigureAwait(false);
            var view = await ServerCall.ReadAsync(response, HttpStatusCode.OK, ApiJson.Default.TerminalView, text, cancellationToken).ConfigureAwait(false);
            report["reachability"] = "ok";
            report["serverState"] = view.State;
            lines.Add(text.Get("status_server_ok", config.AgentEndpoint.GetLeftPart(UriPartial.Authority), text.Word("state_", view.State)));
            return context.Console.Result(report, lines);
        }
        catch (AgentException failure)
        {
            var reachability = failure.Code switch
            {
                "refused" => "refused",
                "unreachable" => "unreachable",
                "untrusted-server" => "untrusted-server",
                "server-problem" => "http-error",
                _ => "not-checked",
            };
            report["reachability"] = reachability;
            if (reachability != "not-checked")
            {
                var word = text.Get(reachability switch
                {
                    "refused" => "reach_refused",
                    "unreachable" => "reach_unreachable",
                    "untrusted-server" => "reach_untrusted",
                    _ => "reach_http",
                });
                lines.Add(text.Get("status_server_failed", config.AgentEndpoint.GetLeftPart(UriPartial.Authority), word));
            }

            return context.Console.Fail(failure, report, lines);
        }
    }

    /// <summary>valid, renewal-due (from two thirds of the lifetime), expired or not-yet-valid, by the local clock.</summary>
    public static string LocalState(AgentConfig config, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(config);
        return now < config.NotBefore ? "not-yet-valid"
            : now >= config.NotAfter ? "expired"
            : now >= config.RenewalOpensAt ? "renewal-due"
            : "valid";
    }
}
