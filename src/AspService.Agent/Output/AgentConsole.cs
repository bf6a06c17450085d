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

    public bool Json { get; } = json;

    public AgentText Text { get; } = text;

    /// <summary>A finished command: the human lines, or the JSON object.</summary>
    public ExitCode Result(JsonObject result, params IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(result);
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

        return ExitCode.Ok;
    }

    /// <summary>
    /// A failed command. <paramref name="partial"/> carries what was learned before the failure (status
    /// prints its report and then the error); in --json it is merged into the one error object.
    /// </summary>
    public ExitCode Fail(AgentException failure, JsonObject? partial = null, IEnumerable<string>? lines = null)
    {
        ArgumentNullException.ThrowIfNull(failure);
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
        }

        return failure.ExitCode;
    }

    /// <summary>Errors are one line: server details or OS messages sometimes carry newlines.</summary>
    public static string OneLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
