using System.Globalization;
using System.Text.RegularExpressions;
using AspService.Tests.Infrastructure;

namespace AspService.Tests.Architecture;

/// <summary>Every decision record says what it decides, whether it still holds, and since when (issue 13, item 8).</summary>
public sealed partial class DecisionRecordTests
{
    [Fact]
    public void EveryDecision_HasNumberedTitle_Status_AndDate()
    {
        var files = Directory.GetFiles(Path.Combine(Repo.Root, "docs", "decisions"), "*.md");
        Assert.True(files.Length >= 40, $"only {files.Length} decisions found");
        var gaps = new List<string>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var text = File.ReadAllText(file);
            if (!Title().IsMatch(text) || !text.StartsWith("# " + name[..4], StringComparison.Ordinal))
            {
                gaps.Add(name + ": title is not \"# " + name[..4] + " — …\"");
            }

            if (!StatusLine().IsMatch(text))
            {
                gaps.Add(name + ": no \"Status: accepted|superseded by …|proposed|deprecated\" line");
            }

            var date = DateLine().Match(text);
            if (!date.Success || !DateOnly.TryParseExact(date.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                gaps.Add(name + ": no \"Date: yyyy-mm-dd\" line");
            }
        }

        Assert.Empty(gaps);
    }

    [GeneratedRegex(@"\A# \d{4} — \S")]
    private static partial Regex Title();

    [GeneratedRegex(@"^Status: (accepted|proposed|deprecated|superseded by \d{4})", RegexOptions.Multiline)]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^Date: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex DateLine();
}
