namespace AspService.Server.Cli;

/// <summary>
/// Separates a command's own words and options from configuration settings on one command line, so every
/// command reads the same settings as the server: <c>--Section:Key=value</c>, <c>--Section:Key value</c> and
/// <c>--key=value</c> are settings; <c>--email x</c>, <c>--admin</c> and bare words belong to the command.
/// Pure; the host's command-line configuration provider then reads the settings part, System.CommandLine the command.
/// </summary>
public static class CommandLine
{
    public static (string[] Command, string[] Settings) Split(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var command = new List<string>();
        var settings = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 3)
            {
                command.Add(arg);
            }
            else if (arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                // The commands' own options ("--email=x" is "--email x", not a setting); System.CommandLine reads the rest.
                if (ServerCommands.OptionNames.Contains(arg[2..eq], StringComparer.Ordinal))
                {
                    command.Add(arg[..eq]);
                    command.Add(arg[(eq + 1)..]);
                }
                else
                {
                    settings.Add(arg);
                }
            }
            else if (arg.Contains(':', StringComparison.Ordinal))
            {
                // "--Section:Key value": the value is the next word (a missing one is the host's to report).
                settings.Add(arg);
                if (i + 1 < args.Count)
                {
                    settings.Add(args[++i]);
                }
            }
            else
            {
                command.Add(arg);
            }
        }

        return ([.. command], [.. settings]);
    }
}
