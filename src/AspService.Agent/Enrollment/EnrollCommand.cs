using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AspService.Agent.Configuration;
using AspService.Agent.Keys;
using AspService.Agent.Output;
using AspService.Agent.Transport;

namespace AspService.Agent.Enrollment;

public sealed record EnrollOptions(string? Server, string? Token, string? Name, string? CaFile, bool Force);

/// <summary>
/// <c>aspagent enroll</c>: generates the key here, sends only a CSR with the one-time token, keeps what the
/// server issues. Everything that can be checked locally is checked before the token is spent.
/// </summary>
public static class EnrollCommand
{
    public static async Task<ExitCode> RunAsync(EnrollOptions options, AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var text = context.Text;
        var server = ServerAddress.Parse(options.Server, text);
        var token = options.Token?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            throw new AgentException(ExitCode.Usage, "usage", text.Get("missing_token"));
        }

        var extraRoots = LoadCaFile(options.CaFile, text);
        var directory = context.Directory();
        AgentConfig? previous = null;
        if (directory.IsEnrolled)
        {
            if (!options.Force)
            {
                throw new AgentException(ExitCode.AlreadyEnrolled, "already-enrolled", text.Get("already_enrolled", directory.Path));
            }

            previous = TryLoad(directory, text);
        }

        var created = directory.EnsurePrivate(text);
        using var key = TerminalKeyStores.ForNewEnrollment(context.Machine).CreateKey();
        AgentConfig config;
        try
        {
            var trust = ServerTrust.System(extraRoots);
            using var http = AgentHttp.ForEnrollment(trust, text.LanguageTag);
            var body = new EnrollmentRequest(token, key.CreateSigningRequestPem(), string.IsNullOrWhiteSpace(options.Name) ? null : options.Name.Trim());
            using var request = new HttpRequestMessage(HttpMethod.Post, ServerAddress.Combine(server, "api/v1/enrollments"))
            {
                Content = JsonContent.Create(body, ApiJson.Default.EnrollmentRequest),
            };
            using var response = await ServerCall.SendAsync(http, request, trust, mutualTls: false, text, cancellationToken).ConfigureAwait(false);
            var issued = await ServerCall.ReadAsync(response, HttpStatusCode.Created, ApiJson.Default.IssuedCertificate, text, cancellationToken).ConfigureAwait(false);
            config = Installation.Install(issued, key, directory, server, previous: null, context.Time.GetUtcNow(), text);
        }
        catch
        {
            key.Abandon();
            if (created)
            {
                directory.RemoveIfEmpty();
            }

            throw;
        }

        if (previous is not null && previous.KeyStore != TerminalKeyStores.File)
        {
            // --force on Windows: the replaced certificate and key leave the stores (the files were overwritten).
            TryRemove(previous, text);
        }

        var line = text.Get("enrolled", text.Word("kind_", config.Kind), config.Name, config.TenantName, config.TenantCode, text.Date(config.NotAfter));
        if (config.State == "pendingApproval")
        {
            line += " " + text.Get("pending_approval");
        }

        return context.Console.Result(ConfigView.Describe("enrolled", config, directory), line);
    }

    /// <summary>--ca-file: extra roots for the tenant's web address (enroll, and connect's sign-in).</summary>
    public static X509Certificate2Collection? LoadCaFile(string? path, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new AgentException(ExitCode.Usage, "usage", text.Get("ca_file_unreadable", AgentConsole.OneLine(ex.Message)), ex);
        }

        return roots.Count > 0 ? roots : throw new AgentException(ExitCode.Usage, "usage", text.Get("ca_file_empty", path));
    }

    /// <summary>With --force a broken agent.json must not block a fresh enrollment.</summary>
    private static AgentConfig? TryLoad(ConfigDirectory directory, AgentText text)
    {
        try
        {
            return directory.Load(text);
        }
        catch (AgentException)
        {
            return null;
        }
    }

    private static void TryRemove(AgentConfig previous, AgentText text)
    {
        try
        {
            TerminalKeyStores.ForConfig(previous, text).Remove(previous);
        }
        catch (Exception ex) when (ex is AgentException or CryptographicException)
        {
            // The new enrollment stands; an orphaned store entry is harmless and shown by certmgr.
        }
    }
}
