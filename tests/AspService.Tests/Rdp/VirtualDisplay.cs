using System.Diagnostics;
using System.Globalization;
using AspService.Tests.Agent;

namespace AspService.Tests.Rdp;

/// <summary>
/// Xvfb on a display number it picks itself (<c>-displayfd</c>: the first free one, told on stdout), so parallel
/// runs and a developer's own X server are left alone. Screenshots with ImageMagick's import.
/// </summary>
public sealed class VirtualDisplay : IDisposable
{
    public const int Width = 1024;
    public const int Height = 768;

    private readonly RunningAgent _process;

    private VirtualDisplay(RunningAgent process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>The DISPLAY value, e.g. ":1".</summary>
    public string Name { get; }

    public static async Task<VirtualDisplay> StartAsync()
    {
        var start = new ProcessStartInfo(RdpTools.Xvfb ?? throw new InvalidOperationException("Xvfb is not installed"))
        {
            ArgumentList = { "-displayfd", "1", "-screen", "0", $"{Width}x{Height}x24", "-nolisten", "tcp" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = RunningAgent.Start(start);
        try
        {
            var number = await process.WaitForLineAsync(@"^(\d+)$");
            return new VirtualDisplay(process, ":" + number.Groups[1].Value);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>The whole screen now, as 8-bit RGB pixels.</summary>
    public async Task<Screenshot> CaptureAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), $"aspservice-screen-{Guid.NewGuid():N}.ppm");
        try
        {
            await ImportAsync("ppm:" + file);
            return Screenshot.FromPpm(await File.ReadAllBytesAsync(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The whole screen saved as a PNG (to look at; the test reads <see cref="CaptureAsync"/>).</summary>
    public Task SavePngAsync(string path) => ImportAsync("png:" + path);

    public void Dispose()
    {
        _process.Terminate();
        _process.Dispose();
    }

    private async Task ImportAsync(string output)
    {
        var start = new ProcessStartInfo(RdpTools.Import ?? throw new InvalidOperationException("ImageMagick's import is not installed"))
        {
            ArgumentList = { "-display", Name, "-window", "root", "-depth", "8", output },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var import = Process.Start(start) ?? throw new InvalidOperationException("could not start import");
        var errors = import.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await import.WaitForExitAsync(timeout.Token);
        var message = await errors;
        Assert.True(import.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"import {output} exited {import.ExitCode}: {message}"));
    }
}
