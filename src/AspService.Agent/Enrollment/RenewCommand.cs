using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AspService.Agent.Keys;
using AspService.Agent.Output;
using AspService.Agent.Transport;

namespace AspService.Agent.Enrollment;

public sealed record RenewOptions(bool IfDue);

/// <summary>
/// <c>aspagent renew</c>: a new key and CSR, sent over mTLS with the current certificate. The old key and
/// certificate stay in place until the new ones are saved (see <see cref="Configuration.ConfigDirectory"/>).
/// With --if-due, "not open yet" is success, so a daily timer can simply run it.
/// </summary>
public static class RenewCommand
{
    public const string NotOpenProblem = "renewal-not-open";

    public static async Task<ExitCode> RunAsync(RenewOptions options, AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var text = context.Text;
        var (directory, config) = context.Enrolled();
        var store = TerminalKeyStores.ForConfig(config, text);
        using var connection = TerminalConnection.Open(directory, config, text);
        using var key = store.CreateKey();
        var installed = false;
        try
        {
            using var content = JsonContent.Create(new RenewalRequest(key.CreateSigningRequestPem()), ApiJson.Default.RenewalRequest);
            using var response = await connection.SendAsync(HttpMethod.Post, "api/v1/terminal/renewal", content, cancellationToken).ConfigureAwait(false);
            var issued = await ServerCall.ReadAsync(response, HttpStatusCode.OK, ApiJson.Default.IssuedCertificate, text, cancellationToken).ConfigureAwait(false);
            var renewed = Installation.Install(issued, key, directory, config.Server, config, context.Time.GetUtcNow(), text);
            installed = true;
            TryRemoveOld(store, config);
            var result = ConfigView.Describe("renewed", renewed, directory);
            result["previousSerial"] = config.Serial;
            return context.Console.Result(result, text.Get("renewed", text.Date(renewed.NotAfter), text.Date(renewed.RenewalOpensAt)));
        }
        catch (AgentException failure) when (failure.Details["problem"]?.GetValue<string>() == NotOpenProblem)
        {
            var opens = text.Date(config.RenewalOpensAt);
            if (!options.IfDue)
            {
                var notOpen = new AgentException(ExitCode.RenewalNotOpen, NotOpenProblem, text.Get("renewal_not_open", opens));
                notOpen.Details["renewalOpensAt"] = config.RenewalOpensAt;
                throw notOpen;
            }

            var result = ConfigView.Describe("not-due", config, directory);
            result["message"] = text.Get("not_due", opens);
            return context.Console.Result(result, text.Get("not_due", opens));
        }
        finally
        {
            if (!installed)
            {
                key.Abandon();
            }
        }
    }

    private static void TryRemoveOld(ITerminalKeyStore store, Configuration.AgentConfig old)
    {
        try
        {
            store.Remove(old);
        }
        catch (CryptographicException)
        {
            // The renewal stands; a stale store entry of an expiring certificate is harmless.
        }
    }
}
