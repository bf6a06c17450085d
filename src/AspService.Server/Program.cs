using AspService.Data.Catalog;
using AspService.Data.Identity;
using AspService.Server.Cli;
using AspService.Server.Health;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Tenancy;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

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

var server = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServerOptions>>().Value;
if (server.MigrateCatalogOnStart)
{
    await using var catalog = await app.Services.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync();
    await catalog.Database.MigrateAsync();
}

app.UseAspServicePipeline();
app.Lifetime.ApplicationStarted.Register(() => Banner.Print(app));
await app.RunAsync();
return 0;

/// <summary>Entry point type for WebApplicationFactory in tests.</summary>
public partial class Program;
