namespace AspService.Tests.Rdp;

/// <summary>
/// The Debian programs the real-RDP test drives: xrdp (the office PC's RDP server), Xvfb (a screen without a
/// monitor), xfreerdp (the home PC's RDP client) and ImageMagick's import (a screenshot of that screen).
/// <c>.ci/run</c> installs them (packages xrdp, xvfb, freerdp2-x11, imagemagick).
/// </summary>
public static class RdpTools
{
    public static string? Xrdp => Find("xrdp");

    public static string? Xvfb => Find("Xvfb");

    public static string? FreeRdp => Find("xfreerdp");

    public static string? Import => Find("import");

    /// <summary>The programs not found, by name; empty when the test can run.</summary>
    public static IReadOnlyList<string> Missing() =>
        [.. new[] { ("xrdp", Xrdp), ("Xvfb", Xvfb), ("xfreerdp", FreeRdp), ("import", Import) }.Where(t => t.Item2 is null).Select(t => t.Item1)];

    /// <summary>A program on PATH or in the sbin directories (xrdp lives in /usr/sbin, which a non-root PATH may lack).</summary>
    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/sbin"])
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

/// <summary>
/// A test that needs <see cref="RdpTools"/>. Where they are missing it is skipped with the reason on a developer's
/// machine, but in CI (environment variable <c>CI</c> set, as <c>.ci/run</c> does) it runs and fails (decision 0080).
/// </summary>
public sealed class RdpFactAttribute : FactAttribute
{
    public RdpFactAttribute()
    {
        var missing = RdpTools.Missing();
        if (missing.Count > 0 && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = $"needs {string.Join(", ", missing)} (apt-get install xrdp xvfb freerdp2-x11 imagemagick); in CI (CI set) this test fails instead";
        }
    }
}
