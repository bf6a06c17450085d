using AspService.Agent.Configuration;
using AspService.Agent.Output;

namespace AspService.Agent;

/// <summary>What every command gets: the console, the language, the clock and where its files are.</summary>
public sealed class AgentContext(AgentConsole console, string? configOption, bool machine, Func<string, string?> environment, TimeProvider time)
{
    public AgentConsole Console { get; } = console;

    public AgentText Text => Console.Text;

    public bool Machine { get; } = machine;

    public TimeProvider Time { get; } = time;

    public ConfigDirectory Directory()
    {
        if (Machine && !OperatingSystem.IsWindows())
        {
            throw new AgentException(ExitCode.Usage, "usage", Text.Get("machine_windows_only"));
        }

        var path = AgentPaths.Resolve(configOption, Machine, OperatingSystem.IsWindows(), environment, Environment.GetFolderPath)
            ?? throw new AgentException(ExitCode.Usage, "usage", Text.Get("no_home"));
        return new ConfigDirectory(path);
    }

    /// <summary>The configuration of an enrolled terminal, or the not-enrolled error.</summary>
    public (ConfigDirectory Directory, AgentConfig Config) Enrolled()
    {
        var directory = Directory();
        var config = directory.Load(Text)
            ?? throw new AgentException(ExitCode.NotEnrolled, "not-enrolled", Text.Get("not_enrolled", directory.Path));
        return (directory, config);
    }
}
