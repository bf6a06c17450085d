using System.Text;
using System.Text.RegularExpressions;
using AspService.Agent.Office;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Agent;

/// <summary>
/// The Windows install scripts (src/AspService.Agent/Install). PowerShell is not installable here (Debian has no
/// package), so they are never run: these tests check their parameters, the agent commands and options they call
/// (against the real agent's help), the service name, the install folders and that they parse as far as brackets go.
/// </summary>
public sealed class InstallScriptTests
{
    private static readonly string InstallFolder = Path.Combine(Repo.Root, "src", "AspService.Agent", "Install");

    private static string Office => Read("Install-OfficeAgent.ps1");

    private static string Home => Read("Install-HomeAgent.ps1");

    [Theory]
    [InlineData("Install-OfficeAgent.ps1")]
    [InlineData("Install-HomeAgent.ps1")]
    public void Scripts_AreUtf8WithBom_AndBracketsBalance(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(InstallFolder, name));
        // Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page, which breaks the Japanese text.
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var code = StripStringsAndComments(Read(name));
        foreach (var (open, close) in new[] { ('{', '}'), ('(', ')'), ('[', ']') })
        {
            Assert.Equal(code.Count(c => c == open), code.Count(c => c == close));
        }
    }

    [Fact]
    public void Office_TokenOnTheCommandLine_InstallUpgradeUninstall_SetsAndMandatoryParameters()
    {
        var parameters = Parameters(Office);
        Assert.Equal(["Install"], parameters["Server"]);
        Assert.Equal(["Install"], parameters["Token"]);
        Assert.Equal(["Upgrade"], parameters["Upgrade"]);
        Assert.Equal(["Uninstall"], parameters["Uninstall"]);
        Assert.Contains("[Parameter(Mandatory = $true, ParameterSetName = 'Install')]\r\n    [string] $Token", Office, StringComparison.Ordinal);
        Assert.Contains("Set-StrictMode -Version Latest", Office, StringComparison.Ordinal);
        Assert.Contains("$ErrorActionPreference = 'Stop'", Office, StringComparison.Ordinal);
    }

    [Fact]
    public void Office_ProgramFiles_MachineEnrollment_TheAgentsOwnServiceName_Started()
    {
        Assert.Contains("Join-Path $env:ProgramFiles 'AspService\\Agent'", Office, StringComparison.Ordinal);
        Assert.Contains($"$ServiceName = '{ServiceDefinition.WindowsServiceName}'", Office, StringComparison.Ordinal);
        Assert.Contains("@('enroll', '--machine', '--server', $Server, '--token', $Token, '--name', $Name)", Office, StringComparison.Ordinal);
        Assert.Contains("@('office', 'install-service', '--machine')", Office, StringComparison.Ordinal);
        Assert.Contains("Start-Service -Name $ServiceName", Office, StringComparison.Ordinal);
        Assert.Contains("sc.exe delete $ServiceName", Office, StringComparison.Ordinal);
        Assert.Contains("IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)", Office, StringComparison.Ordinal);
    }

    [Fact]
    public void Home_PerUser_NoAdministrator_NoService_StartMenuShortcutForConnect()
    {
        var parameters = Parameters(Home);
        Assert.Equal(["Install"], parameters["Token"]);
        Assert.Equal(["Uninstall"], parameters["Uninstall"]);
        Assert.Contains("Join-Path $env:LOCALAPPDATA 'Programs\\AspService'", Home, StringComparison.Ordinal);
        Assert.Contains("$link.Arguments = 'connect'", Home, StringComparison.Ordinal);
        Assert.Contains("GetFolderPath('Programs')", Home, StringComparison.Ordinal);
        Assert.DoesNotContain("Administrator", Home, StringComparison.Ordinal);
        Assert.DoesNotContain("--machine", Home, StringComparison.Ordinal);
        Assert.DoesNotContain("install-service", Home, StringComparison.Ordinal);
        Assert.DoesNotContain("-Service", Home, StringComparison.Ordinal);
    }

    /// <summary>Every agent option the scripts pass exists: the real agent's help for the commands they call names it.</summary>
    [Fact]
    public async Task Scripts_PassOnlyOptionsTheAgentHas()
    {
        var help = new StringBuilder();
        foreach (var command in new[] { new[] { "enroll" }, ["unenroll"], ["office", "install-service"], ["connect"] })
        {
            var run = await AgentProcess.RunAsync([.. command, "--help"], AgentFixtures.English);
            Assert.True(run.ExitCode == 0, run.ToString());
            help.Append(run.Stdout);
        }

        var options = Regex.Matches(Office + Home, @"'(--[a-z-]+)'").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("--token", options);
        Assert.All(options, option => Assert.Contains(option, help.ToString(), StringComparison.Ordinal));
    }

    /// <summary>Parameter name → its parameter sets, from the param block.</summary>
    private static Dictionary<string, List<string>> Parameters(string script)
    {
        var block = script[script.IndexOf("param(", StringComparison.Ordinal)..script.IndexOf("\r\n)\r\n", StringComparison.Ordinal)];
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var sets = new List<string>();
        foreach (var line in block.Split("\r\n"))
        {
            if (Regex.Match(line, @"ParameterSetName = '(\w+)'") is { Success: true } set)
            {
                sets.Add(set.Groups[1].Value);
            }
            else if (Regex.Match(line, @"^\s*\[(?:string|switch)\] \$(\w+)") is { Success: true } name)
            {
                result[name.Groups[1].Value] = sets;
                sets = [];
            }
        }

        return result;
    }

    private static string StripStringsAndComments(string script) =>
        Regex.Replace(script, @"<#.*?#>|#[^\r\n]*|'[^']*'|""[^""]*""", "", RegexOptions.Singleline);

    private static string Read(string name) => File.ReadAllText(Path.Combine(InstallFolder, name), Encoding.UTF8);
}
