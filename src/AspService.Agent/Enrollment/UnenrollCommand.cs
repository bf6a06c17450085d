using System.Net;
using System.Text.Json.Nodes;
using AspService.Agent.Keys;
using AspService.Agent.Output;

namespace AspService.Agent.Enrollment;

public sealed record UnenrollOptions(bool LocalOnly);

/// <summary>
/// <c>aspagent unenroll</c>: the server revokes the certificate and marks the terminal unenrolled, then the
/// local key, certificate and configuration go. Local files are kept when the server could not be told,
/// unless --local-only says to remove them without telling it.
/// </summary>
public static class UnenrollCommand
{
    public static async Task<ExitCode> RunAsync(UnenrollOptions options, AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var text = context.Text;
        var (directory, config) = context.Enrolled();
        if (!options.LocalOnly)
        {
            try
            {
                using var connection = TerminalConnection.Open(directory, config, text);
                using var response = await connection.SendAsync(HttpMethod.Delete, "api/v1/terminal", null, cancellationToken).ConfigureAwait(false);
                await Transport.ServerCall.EnsureAsync(response, HttpStatusCode.NoContent, text, cancellationToken).ConfigureAwait(false);
            }
            catch (AgentException failure)
            {
                var kept = new AgentException(failure.ExitCode, failure.Code, text.Get("unenroll_kept", failure.Message), failure);
                foreach (var (name, value) in failure.Details)
                {
                    kept.Details[name] = value?.DeepClone();
                }

                throw kept;
            }
        }

        TerminalKeyStores.ForConfig(config, text).Remove(config);
        directory.DeleteAll(text);
        var result = ConfigView.Describe("unenrolled", config, directory);
        result["serverNotified"] = !options.LocalOnly;
        return context.Console.Result(result, text.Get(options.LocalOnly ? "unenrolled_local" : "unenrolled", directory.Path));
    }
}
