using System.Text;
using System.Text.RegularExpressions;

namespace AspService.Benchmarks.SignIn;

/// <summary>Invitation links from the server's embedded mail (one .eml file per message in {DataRoot}/mail).</summary>
public static partial class MailPickup
{
    /// <summary>The invitation token mailed to each address (the newest mail wins).</summary>
    public static Dictionary<string, string> InvitationTokens(string dataRoot)
    {
        var tokens = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var folder = Path.Combine(dataRoot, "mail");
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml").OrderBy(File.GetLastWriteTimeUtc) : Enumerable.Empty<string>())
        {
            var text = File.ReadAllText(file);
            var to = To().Match(text);
            var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (!to.Success || split < 0)
            {
                continue;
            }

            var body = Encoding.UTF8.GetString(Convert.FromBase64String(text[(split + 4)..].Replace("\r\n", "", StringComparison.Ordinal)));
            if (Token().Match(body) is { Success: true } token)
            {
                tokens[to.Groups[1].Value] = token.Groups[1].Value;
            }
        }

        return tokens;
    }

    [GeneratedRegex(@"To: <([^>]+)>")]
    private static partial Regex To();

    [GeneratedRegex(@"/invitation\?token=([A-Za-z0-9_-]+)")]
    private static partial Regex Token();
}
