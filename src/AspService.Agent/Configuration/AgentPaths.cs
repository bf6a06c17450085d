namespace AspService.Agent.Configuration;

/// <summary>Where the configuration directory is (decision 0050).</summary>
public static class AgentPaths
{
    public const string HomeVariable = "ASPAGENT_HOME";

    /// <summary>
    /// --config wins; then ASPAGENT_HOME; then per OS: Windows %ProgramData%\AspService\Agent (--machine) or
    /// %APPDATA%\AspService\Agent; elsewhere $XDG_CONFIG_HOME/aspagent or ~/.config/aspagent.
    /// Returns null when no home directory can be found.
    /// </summary>
    public static string? Resolve(string? configOption, bool machine, bool windows, Func<string, string?> environment, Func<Environment.SpecialFolder, string> folder)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(folder);
        if (!string.IsNullOrWhiteSpace(configOption))
        {
            return Path.GetFullPath(configOption);
        }

        var home = environment(HomeVariable);
        if (!string.IsNullOrWhiteSpace(home))
        {
            return Path.GetFullPath(home);
        }

        if (windows)
        {
            var root = folder(machine ? Environment.SpecialFolder.CommonApplicationData : Environment.SpecialFolder.ApplicationData);
            return string.IsNullOrEmpty(root) ? null : Path.Combine(root, "AspService", "Agent");
        }

        var xdg = environment("XDG_CONFIG_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(xdg, "aspagent");
        }

        var user = environment("HOME");
        if (string.IsNullOrWhiteSpace(user))
        {
            user = folder(Environment.SpecialFolder.UserProfile);
        }

        return string.IsNullOrWhiteSpace(user) ? null : Path.Combine(user, ".config", "aspagent");
    }
}
