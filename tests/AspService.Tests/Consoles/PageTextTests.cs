using AngleSharp.Html.Parser;

namespace AspService.Tests.Consoles;

/// <summary>What the in-process language checks read of a page, so they cannot pass by reading nothing.</summary>
public sealed class PageTextTests
{
    private const string Html = """
        <!DOCTYPE html><html lang="en"><head><title>Sign in | AspService</title></head><body>
        <h1>Sign in</h1><label for="c">Code</label><input id="c" placeholder="６桁">
        <button lang="ja">日本語</button><code>山田</code><p class="usercode">ＡＢ</p><p hidden>隠れた</p>
        <img src="x.svg" alt="QR コード"><script>var s = "スクリプト";</script>
        </body></html>
        """;

    [Fact]
    public void Visible_ReadsTextTitleAndAccessibleNames_SkipsOtherLanguagesCodesHiddenAndScript()
    {
        var texts = PageText.Visible(new HtmlParser().ParseDocument(Html));
        Assert.Equal(["Sign in | AspService", "Sign in", "Code", "６桁", "QR コード"], texts);
    }

    [Fact]
    public void NoJapanese_FindsJapaneseInAttributes()
    {
        var page = new HtmlParser().ParseDocument(Html);
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => PageText.NoJapanese(page, "sample"));
        Assert.Contains("６桁", failure.Message, StringComparison.Ordinal);
        Assert.Contains("QR コード", failure.Message, StringComparison.Ordinal);
        PageText.NoJapanese(page, "sample", "６桁", "QR コード");
    }
}
