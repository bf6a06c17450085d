using System.Runtime.Versioning;
using System.ServiceProcess;

namespace AspService.Agent.Office;

/// <summary>
/// <c>office run --service</c> on Windows: the service control manager starts the process and talks to it through
/// <see cref="ServiceBase"/>; start runs the office agent, stop cancels it (close frames to the relay) and waits.
/// Not run in CI (Linux); see docs/agent.md.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed class OfficeWindowsService : ServiceBase
{
    private readonly Func<CancellationToken, Task> _run;
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public OfficeWindowsService(Func<CancellationToken, Task> run)
    {
        _run = run;
        ServiceName = ServiceDefinition.WindowsServiceName;
        CanStop = true;
        CanShutdown = true;
    }

    /// <summary>Blocks until the service is stopped.</summary>
    public static void RunAsService(Func<CancellationToken, Task> run)
    {
        using var service = new OfficeWindowsService(run);
        Run(service);
    }

    protected override void OnStart(string[] args) => _running = Task.Run(() => _run(_stop.Token));

    protected override void OnStop() => StopAndWait();

    protected override void OnShutdown() => StopAndWait();

    private void StopAndWait()
    {
        _stop.Cancel();
        // Sessions get their linger to close; the SCM's default stop wait is 20 s.
        _running?.Wait(TimeSpan.FromSeconds(15));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Dispose();
        }

        base.Dispose(disposing);
    }
}
