using AspService.Server.Pki;
using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using AspService.Server.Billing;
using AspService.Server.Hosting;
using AspService.Server.Identity;
using AspService.Server.Relay;
using AspService.Server.Terminals;
using AspService.Server.Tokens;

namespace AspService.Tests.Hosting;

/// <summary>The server's text catalogs as resources (decision 0102): every key in both languages, each in its own.</summary>
public sealed partial class VocabularyTests
{
    public static TheoryData<string> Catalogs => [.. All.Keys];

    private static readonly Dictionary<string, (ResourceManager Resources, Func<string> Sample, string Ja, string En)> All = new(StringComparer.Ordinal)
    {
        ["Text"] = (Text.Resources, () => Text.Get("not_found"), "見つかりません。", "Not found."),
        ["IdentityText"] = (IdentityText.Resources, () => IdentityText.Get("password_common"), "よく使われるパスワードのため使用できません。", "This password is too common."),
        ["TokenText"] = (TokenText.Resources, () => TokenText.Get("grant_unsupported"), "この許可タイプは使用できません。", "This grant type is not supported."),
        ["TerminalText"] = (TerminalText.Resources, () => TerminalText.Get("token_invalid"), "登録トークンが正しくありません。", "The enrollment token is not valid."),
        ["BillingText"] = (BillingText.Resources, () => BillingText.Get("plan_unknown", "basic"), "プラン basic は登録されていません。", "There is no plan basic."),
        ["RelayText"] = (RelayText.Resources, () => RelayText.Get("token_invalid"), "アクセストークンが無効です。もう一度サインインしてください。", "The access token is not valid; sign in again."),
        ["RotationText"] = (RotationText.Resources, () => RotationText.Get("expired_subject", "131016"), "【131016】端末証明書の期限切れ（未更新）のお知らせ", "[131016] Terminal certificates expired without renewal"),
    };

    [Theory]
    [MemberData(nameof(Catalogs))]
    public void EveryKey_HasJapaneseAndEnglish_EachInItsOwnLanguage(string catalog)
    {
        var resources = All[catalog].Resources;
        var ja = Entries(resources, CultureInfo.InvariantCulture);
        var en = Entries(resources, CultureInfo.GetCultureInfo("en"));

        Assert.NotEmpty(ja);
        Assert.Equal(ja.Keys.Order(StringComparer.Ordinal), en.Keys.Order(StringComparer.Ordinal));
        Assert.All(ja, e => Assert.False(string.IsNullOrWhiteSpace(e.Value), e.Key));
        Assert.All(en, e => Assert.False(Japanese().IsMatch(e.Value), $"{e.Key}: {e.Value}"));
        Assert.All(ja, e => Assert.True(Japanese().IsMatch(e.Value) && e.Value != en[e.Key], $"{e.Key}: {e.Value}"));
        Assert.All(ja, e => Assert.Equal(Placeholders(e.Value), Placeholders(en[e.Key])));
    }

    [Theory]
    [MemberData(nameof(Catalogs))]
    public void SampleKey_AnswersInTheCulturesLanguage(string catalog)
    {
        var (_, sample, ja, en) = All[catalog];
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ja-JP");
            Assert.Equal(ja, sample());
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            Assert.Equal(en, sample());
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
            Assert.Equal(en, sample());
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void PolicyText_InCore_EveryKeyInBothLanguages()
    {
        var catalog = AspService.Policy.PolicyText.Catalog;

        Assert.NotEmpty(catalog);
        Assert.All(catalog, e => Assert.False(Japanese().IsMatch(e.Value.En), $"{e.Key}: {e.Value.En}"));
        Assert.All(catalog, e => Assert.True(Japanese().IsMatch(e.Value.Ja) && e.Value.Ja != e.Value.En, $"{e.Key}: {e.Value.Ja}"));
        Assert.All(catalog, e => Assert.Equal(Placeholders(e.Value.Ja), Placeholders(e.Value.En)));
        Assert.Equal(new AspService.Policy.LocalizedText("火曜日", "Tuesday"), AspService.Policy.PolicyText.Weekday(DayOfWeek.Tuesday));
        Assert.Equal(new AspService.Policy.LocalizedText("プリンター", "printer"), AspService.Policy.PolicyText.Channel(AspService.Policy.RedirectionChannel.Printers));
        // Policy texts carry both languages; the reader's language is chosen where they are shown.
        Assert.Equal(new AspService.Policy.LocalizedText("曜日の値が正しくありません。", "Not a valid weekday."), AspService.Policy.PolicyText.Format("weekday_invalid"));
    }

    private static Dictionary<string, string> Entries(ResourceManager resources, CultureInfo culture) =>
        resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!.Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);

    private static List<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"[\p{IsHiragana}\p{IsKatakana}\p{IsCJKUnifiedIdeographs}\u3000-\u303F\uFF00-\uFFEF]")]
    private static partial Regex Japanese();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
