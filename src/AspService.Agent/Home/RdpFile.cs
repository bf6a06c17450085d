using System.Globalization;
using System.Net;
using System.Text;

namespace AspService.Agent.Home;

/// <summary>
/// The .rdp file for mstsc: the local address of the home agent, and the redirection settings exactly as the
/// tenant's policy allows them (the office PC's own settings are checked by the broker as well). Everything
/// the policy does not govern that could carry data off the office PC is off.
/// </summary>
public static class RdpFile
{
    public static string Build(IPEndPoint local, RedirectionView redirection)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(redirection);
        var address = local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? "[" + local.Address + "]:" + local.Port.ToString(CultureInfo.InvariantCulture)
            : local.Address + ":" + local.Port.ToString(CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            "full address:s:" + address,
            "alternate full address:s:" + address,
            "redirectclipboard:i:" + Flag(redirection.Clipboard),
            "redirectdrives:i:" + Flag(redirection.Drives),
            "drivestoredirect:s:" + (redirection.Drives ? "*" : ""),
            "redirectprinters:i:" + Flag(redirection.Printers),
            "redirectcomports:i:" + Flag(redirection.Ports),
            // Not governed by the policy, and each a way for data to leave: off.
            "redirectsmartcards:i:0",
            "redirectposdevices:i:0",
            "devicestoredirect:s:",
            "usbdevicestoredirect:s:",
            "camerastoredirect:s:",
            "audiocapturemode:i:0",
            // The agent accepts one connection per session: a silent reconnect would find nobody listening.
            "autoreconnection enabled:i:0",
        };
        var file = new StringBuilder();
        foreach (var line in lines)
        {
            file.Append(line).Append("\r\n");
        }

        return file.ToString();
    }

    private static string Flag(bool on) => on ? "1" : "0";
}
