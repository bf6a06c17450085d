using System.Text;
using AspService.Agent;

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
return await AgentCommands.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, TimeProvider.System, cancel.Token);
