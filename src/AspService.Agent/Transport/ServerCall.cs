using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AspService.Agent.Output;

namespace AspService.Agent.Transport;

/// <summary>
/// Sends one request and turns every way it can fail into an <see cref="AgentException"/> with the exit
/// code scripts rely on: unreachable (no connection), untrusted-server (our check of the server's
/// certificate failed), refused (a connection that got as far as TLS and was then dropped — on the mTLS
/// endpoint that is how a revoked or unknown certificate looks), or the server's own problem+json.
/// </summary>
public static class ServerCall
{
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpRequestMessage request, ServerTrust trust, bool mutualTls, AgentText text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(text);
        var target = request.RequestUri?.GetLeftPart(UriPartial.Authority) ?? "?";
        try
        {
            return await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw Failure(ex, trust, mutualTls, target, text);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AgentException(ExitCode.Unreachable, "unreachable", text.Get("timeout", target), ex);
        }
    }

    /// <summary>
    /// Why a connection failed, as the agent's error: our check of the server's certificate (untrusted-server), no
    /// connection at all (unreachable), or — on the mTLS endpoint — a connection dropped after TLS began (refused).
    /// </summary>
    public static AgentException Failure(HttpRequestException ex, ServerTrust trust, bool mutualTls, string target, AgentText text)
    {
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(text);
        if (trust.Failure is not null)
        {
            return new AgentException(ExitCode.UntrustedServer, "untrusted-server", text.Get("untrusted_server", target, trust.Failure), ex);
        }

        if (ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.ProxyTunnelError || !mutualTls)
        {
            return new AgentException(ExitCode.Unreachable, "unreachable", text.Get("unreachable", target, Reason(ex)), ex);
        }

        return new AgentException(ExitCode.Refused, "refused", text.Get("refused", Reason(ex)), ex);
    }

    /// <summary>The body of an expected status, or the server's problem as the error.</summary>
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected, JsonTypeInfo<T> type, AgentText text, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(text);
        await EnsureAsync(response, expected, text, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false);
            return body ?? throw new JsonException("empty body");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            throw new AgentException(ExitCode.Failed, "bad-response", text.Get("bad_response", AgentConsole.OneLine(ex.Message)), ex);
        }
    }

    /// <summary>Throws the server's problem (detail, else title) unless the status is the expected one.</summary>
    public static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, AgentText text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(text);
        if (response.StatusCode == expected)
        {
            return;
        }

        var status = (int)response.StatusCode;
        Problem? problem = null;
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if (mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync(ApiJson.Default.Problem, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                // Not a problem document after all; the status line says enough.
            }
        }

        var code = problem?.Code;
        var message = !string.IsNullOrWhiteSpace(problem?.Detail) ? problem.Detail
            : !string.IsNullOrWhiteSpace(problem?.Title) ? problem.Title
            : text.Get("http_error", status);
        var failure = new AgentException(ExitCode.ServerProblem, "server-problem", AgentConsole.OneLine(message));
        failure.Details["status"] = status;
        if (code is not null)
        {
            failure.Details["problem"] = code;
        }

        if (problem?.Reasons is { Count: > 0 } reasons)
        {
            // A policy refusal lists every failed rule: one line each after the summary, and in --json.
            var list = new System.Text.Json.Nodes.JsonArray();
            foreach (var reason in reasons)
            {
                // As JsonNode: the generic Add<T> is not trim-safe (IL2026), and the agent is published trimmed.
                list.Add((System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject { ["code"] = reason.Code, ["message"] = reason.Message });
                failure.MoreLines.Add(string.IsNullOrWhiteSpace(reason.Message) ? reason.Code ?? "?" : reason.Message);
            }

            failure.Details["reasons"] = list;
        }

        throw failure;
    }

    public static string Reason(Exception ex)
    {
        // The innermost message names the cause (connection refused, reset, TLS alert, ...).
        ArgumentNullException.ThrowIfNull(ex);
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return AgentConsole.OneLine(inner.Message);
    }
}

/// <summary>An RFC 9457 problem document. <see cref="Code"/> is the last segment of its type URI.</summary>
public sealed class Problem
{
    public string? Type { get; set; }

    public string? Title { get; set; }

    public int? Status { get; set; }

    public string? Detail { get; set; }

    /// <summary>Every failed rule of a policy refusal (<c>session-denied</c>).</summary>
    public List<ProblemReason>? Reasons { get; set; }

    [JsonIgnore]
    public string? Code
    {
        get
        {
            var type = Type?.TrimEnd('/');
            return string.IsNullOrEmpty(type) || type == "about:blank" ? null : type[(type.LastIndexOf('/') + 1)..];
        }
    }
}

/// <summary>One failed policy rule in a <c>session-denied</c> problem.</summary>
public sealed class ProblemReason
{
    public string? Code { get; set; }

    public string? Message { get; set; }
}
