using AspService.Server.Cli;
using AspService.Server.Hosting;

var command = ServerCommands.IsCommand(args);
var builder = WebApplication.CreateBuilder(command ? [] : args);
if (command)
{
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Configuration["Server:Roles"] = "web";
}

builder.AddAspService();
var app = builder.Build();

if (command)
{
    return await ServerCommands.RunAsync(args, app.Services, Console.Out, Console.Error);
}

app.UseAspServicePipeline();
app.Lifetime.ApplicationStarted.Register(() => Banner.Print(app));
await app.RunAsync();
return 0;

/// <summary>Entry point type for WebApplicationFactory in tests.</summary>
public partial class Program;
