using System.Diagnostics;
using System.Text.Json.Nodes;
using AspService.Agent.Configuration;
using AspService.Agent.Output;
using AspService.Agent.Relay;
using AspService.Agent.Transport;

namespace AspService.Agent.Office;

public sealed record OfficeRunOptions(string? Target, string? Proxy, bool NoProxy, bool Service);

public sealed record InstallServiceOptions(string? Target, string? Proxy, bool NoProxy, bool Print);

/// <summary><c>aspagent office run</c> and <c>aspagent office install-service</c>.</summary>
public static class OfficeCommands
{
    public const string SystemdDirectory = "/etc/systemd/system";

    public static async Task<ExitCode> RunAsync(OfficeRunOptions options, AgentContext context, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var text = context.Text;
        var target = LocalEndpoint.Target(options.Target, text);
        var (directory, config) = OfficeEnrollment(context);
        var proxy = ProxyChoice.Resolve(options.Proxy, options.NoProxy, config.Proxy, text);
        var agent = new OfficeAgent(directory, target, proxy, context);
        if (options.Service)
        {
            if (!OperatingSystem.IsWindows())
            {
                throw new AgentException(ExitCode.Usage, "usage", text.Get("service_windows_only"));
            }

            OfficeWindowsService.RunAsService(agent.RunAsync);
            return ExitCode.Ok;
        }

        context.Console.Event(
            new JsonObject { ["event"] = "starting", ["terminalId"] = config.TerminalId, ["name"] = config.Name, ["target"] = target.ToString(), ["proxy"] = proxy.Describe() },
            text.Get("office_starting", config.Name, target, proxy.Describe()));
        await agent.RunAsync(stop).ConfigureAwait(false);
        return context.Console.Result(new JsonObject { ["result"] = "stopped", ["terminalId"] = config.TerminalId }, text.Get("office_stopped"));
    }

    public static async Task<ExitCode> InstallServiceAsync(InstallServiceOptions options, AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var text = context.Text;
        var (directory, config) = OfficeEnrollment(context);
        List<string> run = ["office", "run"];
        if (options.Target is not null)
        {
            run.AddRange(["--target", LocalEndpoint.Target(options.Target, text).ToString()]);
        }

        // Validated now; written as given (the service reads agent.json's proxy itself when none is given).
        var proxy = ProxyChoice.Resolve(options.Proxy, options.NoProxy, null, text);
        if (options.NoProxy)
        {
            run.Add("--no-proxy");
        }
        else if (proxy.Kind == ProxyKind.Explicit)
        {
            run.AddRange(["--proxy", options.Proxy!.Trim()]);
        }

        if (OperatingSystem.IsWindows())
        {
            return await InstallWindowsAsync(options, context, config, run, cancellationToken).ConfigureAwait(false);
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new AgentException(ExitCode.Usage, "usage", text.Get("service_unsupported_os"));
        }

        run.AddRange(["--config", directory.Path]);
        var root = Environment.IsPrivilegedProcess;
        var unit = ServiceDefinition.SystemdUnit([.. AgentCommand(), .. run], root ? null : Environment.UserName);
        if (options.Print)
        {
            return context.Console.Result(new JsonObject { ["result"] = "service-unit", ["name"] = ServiceDefinition.UnitName, ["unit"] = unit }, unit.TrimEnd('\n'));
        }

        if (!root)
        {
            throw new AgentException(ExitCode.Usage, "usage", text.Get("service_needs_root"));
        }

        var path = Path.Combine(SystemdDirectory, ServiceDefinition.UnitName);
        try
        {
            await File.WriteAllTextAsync(path, unit, cancellationToken).ConfigureAwait(false);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentException(ExitCode.Failed, "io-failed", text.Get("io_failed", AgentConsole.OneLine(ex.Message)), ex);
        }

        return context.Console.Result(new JsonObject { ["result"] = "service-installed", ["name"] = ServiceDefinition.UnitName, ["path"] = path },
            text.Get("service_written", path, ServiceDefinition.UnitName));
    }

    private static async Task<ExitCode> InstallWindowsAsync(InstallServiceOptions options, AgentContext context, AgentConfig config, List<string> run, CancellationToken ct)
    {
        var text = context.Text;
        // The service runs as LocalSystem: it can only use an enrollment in the machine's store (enroll --machine).
        if (!context.Machine || config.KeyStore != Keys.TerminalKeyStores.CngMachine)
        {
            throw new AgentException(ExitCode.Usage, "usage", text.Get("service_needs_machine"));
        }

        run.AddRange(["--service", "--machine"]);
        var binaryPath = ServiceDefinition.WindowsCommandLine([.. AgentCommand(), .. run]);
        var commands = ServiceDefinition.WindowsCommands(binaryPath);
        var lines = commands.Select(c => "sc.exe " + ServiceDefinition.WindowsCommandLine(c)).ToList();
        if (options.Print)
        {
            return context.Console.Result(new JsonObject { ["result"] = "service-commands", ["commands"] = new JsonArray([.. lines.Select(l => (JsonNode)l)]) }, lines);
        }

        foreach (var arguments in commands)
        {
            var start = new ProcessStartInfo("sc.exe") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new AgentException(text.Get("service_failed", "sc.exe", -1, ""));
            var output = await process.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new AgentException(ExitCode.Failed, "service-failed", text.Get("service_failed", "sc.exe " + arguments[0], process.ExitCode, AgentConsole.OneLine(output)));
            }
        }

        return context.Console.Result(new JsonObject { ["result"] = "service-installed", ["name"] = ServiceDefinition.WindowsServiceName },
            text.Get("service_created", ServiceDefinition.WindowsServiceName));
    }

    /// <summary>How to start this agent again: its executable, or the dotnet host with aspagent.dll.</summary>
    public static IReadOnlyList<string> AgentCommand()
    {
        var process = Environment.ProcessPath ?? "aspagent";
        var name = Path.GetFileNameWithoutExtension(process);
        return string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase)
            ? [process, Path.Combine(AppContext.BaseDirectory, "aspagent.dll")]
            : [process];
    }

    private static (ConfigDirectory Directory, AgentConfig Config) OfficeEnrollment(AgentContext context)
    {
        var (directory, config) = context.Enrolled();
        return config.Kind == "office"
            ? (directory, config)
            : throw new AgentException(ExitCode.Usage, "usage", context.Text.Get("needs_office", context.Text.Word("kind_", config.Kind)));
    }
}
