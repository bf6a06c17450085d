using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AspService.Agent.Output;

/// <summary>
/// Where a command's result goes. Human mode: results on stdout, one error line on stderr. --json mode:
/// exactly one JSON object on stdout, for results and errors alike, so a script reads one thing.
/// </summary>
public sealed class AgentConsole(TextWriter output, TextWriter error, bool json, AgentText text)
{
    private static readonly JsonSerializerOptions Pretty = new()
    {
        // Japanese names stay readable; the output is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    private readonly Lock _lock = new();

    public bool Json { get; } = json;

    public AgentText Text { get; } = text;

    /// <summary>A finished command: the human lines, or the JSON object.</summary>
    public ExitCode Result(JsonObject result, params IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_lock)
        {
            if (Json)
            {
                output.WriteLine(result.ToJsonString(Pretty));
            }
            else
            {
                foreach (var line in lines)
                {
                    output.WriteLine(line);
                }
            }

            output.Flush();
        }

        return ExitCode.Ok;
    }

    /// <summary>
    /// Something a long-running command (office run, connect) reports while it runs: one line for people (on
    /// stderr when <paramref name="problem"/>), or one JSON object per line with --json, flushed at once so a
    /// service log or a script sees it as it happens.
    /// </summary>
    public void Event(JsonObject body, string line, bool problem = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(line);
        lock (_lock)
        {
            if (Json)
            {
                output.WriteLine(body.ToJsonString(Pretty));
                output.Flush();
            }
            else
            {
                var writer = problem ? error : output;
                writer.WriteLine(OneLine(line));
                writer.Flush();
            }
        }
    }

    /// <summary>
    /// A failed command. <paramref name="partial"/> carries what was learned before the failure (status
    /// prints its report and then the error); in --json it is merged into the one error object.
    /// </summary>
    public ExitCode Fail(AgentException failure, JsonObject? partial = null, IEnumerable<string>? lines = null)
    {
        ArgumentNullException.ThrowIfNull(failure);
        using var held = _lock.EnterScope();
        if (Json)
        {
            var body = partial ?? [];
            body["error"] = failure.Code;
            body["message"] = OneLine(failure.Message);
            foreach (var (key, value) in failure.Details)
            {
                body[key] = value?.DeepClone();
            }

            output.WriteLine(body.ToJsonString(Pretty));
        }
        else
        {
            foreach (var line in lines ?? [])
            {
                output.WriteLine(line);
            }

            error.WriteLine(OneLine(failure.Message));
            foreach (var line in failure.MoreLines)
            {
                error.WriteLine(OneLine(line));
            }
        }

        output.Flush();
        error.Flush();

        return failure.ExitCode;
    }

    /// <summary>Errors are one line: server details or OS messages sometimes carry newlines.</summary>
    public static string OneLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
