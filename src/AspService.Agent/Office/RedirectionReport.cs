using System.Runtime.Versioning;
using AspService.Policy;
using Microsoft.Win32;

namespace AspService.Agent.Office;

/// <summary>
/// What the office agent tells the relay about this PC's own RDP server: which redirection channels it allows.
/// On Windows the values come from the registry; elsewhere (no RDP server of ours to read) everything is unknown.
/// </summary>
/// <remarks>
/// Registry values, each a DWORD where 1 = the channel is disabled and 0 = enabled:
/// <list type="table">
/// <item><term>clipboard</term><description><c>fDisableClip</c> — "Do not allow Clipboard redirection"</description></item>
/// <item><term>drives</term><description><c>fDisableCdm</c> — "Do not allow drive redirection" (client drive mapping)</description></item>
/// <item><term>printers</term><description><c>fDisableCpm</c> — "Do not allow client printer redirection" (client printer mapping)</description></item>
/// <item><term>ports</term><description><c>fDisableCcm</c> (COM) and <c>fDisableLPT</c> (LPT) — disabled only when both are</description></item>
/// </list>
/// The Group Policy key <c>HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services</c> wins; where a value is
/// not set there, the RDP listener's own setting (<c>HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp</c>,
/// same value names) applies; where neither is set, Windows allows the channel, so it is reported enabled.
/// </remarks>
public static class RedirectionReport
{
    public const string PolicyKey = @"SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services";
    public const string ListenerKey = @"SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp";

    /// <summary>The registry values per channel (ports: COM and LPT).</summary>
    public static readonly IReadOnlyDictionary<RedirectionChannel, string[]> Values = new Dictionary<RedirectionChannel, string[]>
    {
        [RedirectionChannel.Clipboard] = ["fDisableClip"],
        [RedirectionChannel.Drives] = ["fDisableCdm"],
        [RedirectionChannel.Printers] = ["fDisableCpm"],
        [RedirectionChannel.Ports] = ["fDisableCcm", "fDisableLPT"],
    };

    /// <summary>This PC's report: read from the registry on Windows, unknown elsewhere or when it cannot be read.</summary>
    public static ReportedRedirection Read()
    {
        if (!OperatingSystem.IsWindows())
        {
            return ReportedRedirection.Unknown;
        }

        try
        {
            return ReadWindows();
        }
        catch (Exception ex) when (ex is System.Security.SecurityException or UnauthorizedAccessException or IOException)
        {
            return ReportedRedirection.Unknown;
        }
    }

    /// <summary>The report from the two keys' values (null = value not set). Pure, for tests.</summary>
    public static ReportedRedirection FromValues(Func<string, int?> policy, Func<string, int?> listener)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(listener);
        bool Enabled(RedirectionChannel channel) =>
            Values[channel].Any(name => (policy(name) ?? listener(name) ?? 0) == 0);
        return new ReportedRedirection(
            Enabled(RedirectionChannel.Clipboard),
            Enabled(RedirectionChannel.Drives),
            Enabled(RedirectionChannel.Printers),
            Enabled(RedirectionChannel.Ports));
    }

    [SupportedOSPlatform("windows")]
    private static ReportedRedirection ReadWindows()
    {
        using var machine = RegistryKey.OpenBaseKey(RegistryHive.LocalMachine, RegistryView.Registry64);
        using var policy = machine.OpenSubKey(PolicyKey);
        using var listener = machine.OpenSubKey(ListenerKey);
        return FromValues(name => Dword(policy, name), name => Dword(listener, name));
    }

    [SupportedOSPlatform("windows")]
    private static int? Dword(RegistryKey? key, string name) => key?.GetValue(name) is int value ? value : null;
}
