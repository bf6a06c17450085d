using AspService.Server.Cli;
using AspService.Server.Hosting;

// Commands read the same settings as the server (appsettings, environment and "--Section:Key=value" on the
// command line); only the command's own words and options are kept out of the configuration.
var (commandArgs, settings) = CommandLine.Split(args);
var command = ServerCommands.IsCommand(commandArgs);
var builder = WebApplication.CreateBuilder(command ? settings : args);
if (command)
{
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Configuration["Server:Roles"] = "web";
}

builder.AddAspService();
var app = builder.Build();

if (command)
{
    return await ServerCommands.RunAsync(commandArgs, app.Services, Console.Out, Console.Error);
}

app.UseAspServicePipeline();
app.Lifetime.ApplicationStarted.Register(() => Banner.Print(app));
await app.RunAsync();
return 0;

/// <summary>Entry point type for WebApplicationFactory in tests.</summary>
public partial class Program;
