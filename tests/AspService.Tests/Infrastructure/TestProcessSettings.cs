using System.Runtime.CompilerServices;

namespace AspService.Tests.Infrastructure;

/// <summary>Settings for every host the tests start, in this process and in the server and agent processes they spawn.</summary>
internal static class TestProcessSettings
{
    /// <summary>
    /// Hosts do not watch appsettings files: each watcher takes an inotify instance (128 per user), and hundreds of
    /// hosts in a run (more when two suites share a machine) exhausted them and failed a host's start.
    /// </summary>
    [ModuleInitializer]
    internal static void Apply() => Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
