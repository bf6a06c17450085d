using System.Runtime.InteropServices;
using System.Text;

namespace AspService.Agent;

/// <summary>
/// Entry point. Not called <c>Program</c>: the test project also references the server, whose top-level
/// <c>Program</c> the integration tests name.
/// </summary>
internal static class AgentProgram
{
    private static async Task<int> Main(string[] args)
    {
        if (OperatingSystem.IsWindows())
        {
            // Japanese messages on a console that would otherwise use the ANSI code page.
            Console.OutputEncoding = Encoding.UTF8;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        // SIGTERM (systemctl stop, docker stop, kill) stops like Ctrl+C: office mode closes its connections cleanly.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });
        return await AgentCommands.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, TimeProvider.System, cancel.Token);
    }
}
