using AspService.Server.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace AspService.Tests.Hosting;

/// <summary>The server's command line (System.CommandLine): help, and a one-line error for what it does not know.</summary>
public sealed class ServerCommandLineTests
{
    // Parse errors and help never reach the services.
    private static readonly ServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();

    [Theory]
    [InlineData("operators create --emial a@b.example", "--emial")]
    [InlineData("migrate --paralel 2", "--paralel")]
    [InlineData("audit check --tenant 131016", "check")]
    [InlineData("migrate --parallel many", "--parallel")]
    public async Task WrongOption_OneLineErrorExit2(string line, string named)
    {
        var error = new StringWriter();

        var exit = await ServerCommands.RunAsync(line.Split(' '), NoServices, new StringWriter(), error);

        Assert.Equal(2, exit);
        var message = Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.StartsWith("error: ", message, StringComparison.Ordinal);
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help", "operators")]
    [InlineData("-h", "migrate")]
    [InlineData("operators create --help", "--admin")]
    [InlineData("script --help", "--provider")]
    [InlineData("help", "operators reset-password --email E")]
    public async Task Help_PrintsUsage_Exit0(string line, string shown)
    {
        var output = new StringWriter();
        var args = line.Split(' ');

        var exit = await ServerCommands.RunAsync(args, NoServices, output, new StringWriter());

        Assert.True(ServerCommands.IsCommand(args));
        Assert.Equal(0, exit);
        Assert.Contains(shown, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CommandWordsAndOptions_ComeFromTheCommandTree()
    {
        Assert.Equal(["operators", "migrate", "script", "audit", "help"], ServerCommands.Names);
        Assert.Equal(["email", "name", "admin", "parallel", "provider", "context", "output", "tenant"], ServerCommands.OptionNames);
        Assert.False(ServerCommands.IsCommand(["--urls=http://127.0.0.1:0"]));
    }
}
