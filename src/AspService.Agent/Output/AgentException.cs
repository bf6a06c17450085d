using System.Text.Json.Nodes;

namespace AspService.Agent.Output;

/// <summary>
/// A failure that ends a command with a one-line message and an exit code. <see cref="Code"/> is the
/// stable, scriptable name printed as <c>error</c> with --json.
/// </summary>
public sealed class AgentException : Exception
{
    public AgentException(ExitCode exitCode, string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
        Code = code;
    }

    public AgentException()
    {
        Code = "failed";
        ExitCode = ExitCode.Failed;
    }

    public AgentException(string message)
        : this(ExitCode.Failed, "failed", message)
    {
    }

    public AgentException(string message, Exception innerException)
        : this(ExitCode.Failed, "failed", message, innerException)
    {
    }

    public ExitCode ExitCode { get; }

    public string Code { get; }

    /// <summary>Lines printed after the message in human mode (e.g. every reason of a policy refusal), one each.</summary>
    public IList<string> MoreLines { get; } = [];

    /// <summary>Extra fields for the --json error object (HTTP status, problem type, dates).</summary>
    public JsonObject Details { get; } = [];
}
