using System.Globalization;

namespace AspService.Policy;

/// <summary>
/// The telework policy's user-facing texts, Japanese first. Same shape as the server's feature catalogs, so the
/// web layer can also look keys up with <c>Text.From(PolicyText.Catalog, key, args)</c>.
/// </summary>
public static class PolicyText
{
    public static IReadOnlyDictionary<string, (string Ja, string En)> Catalog { get; } =
        new Dictionary<string, (string Ja, string En)>(StringComparer.Ordinal)
        {
            ["mfa_required"] = ("多要素認証でサインインしていないため接続できません。", "Sign in with multi-factor authentication to connect."),
            ["home_certificate_required"] = ("登録済みの自宅端末の証明書が提示されていないため接続できません。", "Connect from a registered home terminal (its certificate was not presented)."),
            ["weekday_not_allowed"] = ("{0}（{1}）はテレワークが許可されていない曜日です。", "Telework is not allowed on {1}s ({0})."),
            ["outside_hours"] = ("現在時刻（{0}）は利用可能時間（{1}〜{2}）外です。", "The current time ({0}) is outside the allowed hours ({1}–{2})."),
            ["office_closed"] = ("{0}は閉庁日（{1}）のため利用できません。", "{0} is a day the office is closed ({1})."),
            ["source_network"] = ("接続元のネットワーク（{0}）は許可されていません。", "The source network ({0}) is not allowed."),
            ["too_many_sessions"] = ("同時に利用できるセッション数（{0}）に達しています。", "You already have the maximum number of sessions ({0})."),
            ["redirection_enabled"] = ("庁内端末で{0}のリダイレクトが有効になっていますが、ポリシーでは禁止されています。", "The office PC allows {0} redirection, which the policy forbids."),
            ["redirection_unknown"] = ("庁内端末の{0}のリダイレクト設定を確認できないため接続できません（厳格モード）。", "The office PC's {0} redirection setting is unknown, which strict mode refuses."),
            ["required"] = ("必須項目です。", "This field is required."),
            ["cidr_empty"] = ("ネットワークを入力してください（例: 192.0.2.0/24）。", "Enter a network (e.g. 192.0.2.0/24)."),
            ["cidr_invalid"] = ("「{0}」は CIDR 表記のネットワークではありません（例: 192.0.2.0/24、2001:db8::/32）。", "\"{0}\" is not a network in CIDR notation (e.g. 192.0.2.0/24, 2001:db8::/32)."),
            ["cidr_prefix"] = ("「{0}」のプレフィックス長は {1} 以下で指定してください。", "The prefix length of \"{0}\" must be at most {1}."),
            ["cidr_host_bits"] = ("「{0}」はネットワークアドレスではありません。{1} のことですか。", "\"{0}\" is not a network address. Did you mean {1}?"),
            ["cidr_mapped"] = ("「{0}」は IPv4 射影アドレスの範囲です。IPv4 の {1} として登録してください。", "\"{0}\" is an IPv4-mapped range. Enter it as IPv4: {1}."),
            ["too_many_networks"] = ("ネットワークは {0} 件まで登録できます。", "At most {0} networks."),
            ["weekdays_empty"] = ("曜日を 1 つ以上選択してください。", "Choose at least one weekday."),
            ["weekday_invalid"] = ("曜日の値が正しくありません。", "Not a valid weekday."),
            ["time_of_day"] = ("{0} から {1} までの時刻で指定してください。", "Give a time from {0} to {1}."),
            ["window_empty"] = ("開始時刻と終了時刻が同じです。終日とする場合は 00:00〜24:00 を指定してください。", "Start and end are the same. For the whole day use 00:00–24:00."),
            ["duration_range"] = ("{0} 分以上 {1} 分以下で指定してください。", "Give between {0} and {1} minutes."),
            ["concurrency_range"] = ("{0} 以上 {1} 以下で指定してください。", "Give a number from {0} to {1}."),
            ["extra_closed_day"] = ("団体が定めた閉庁日", "a closed day set by the municipality"),
            ["too_many_closed_days"] = ("独自の閉庁日は {0} 日まで登録できます。", "At most {0} closed days of your own."),
            ["redirection_check_invalid"] = ("リダイレクト設定の照合方法が正しくありません。", "Not a valid redirection check mode."),
        };

    /// <summary>
    /// Formats both languages. An argument that is itself a <see cref="LocalizedText"/> is put in in the matching
    /// language; anything else is formatted with the invariant culture.
    /// </summary>
    public static LocalizedText Format(string key, params object[] args)
    {
        var (ja, en) = Catalog[key];
        return new LocalizedText(Apply(ja, args, english: false), Apply(en, args, english: true));
    }

    private static string Apply(string format, object[] args, bool english) =>
        args.Length == 0
            ? format
            : string.Format(CultureInfo.InvariantCulture, format, [.. args.Select(a => a is LocalizedText t ? t.For(english) : a)]);

    /// <summary>A date as people read it: 2025年1月1日 / 2025-01-01.</summary>
    public static LocalizedText Date(DateOnly date) => new(
        date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture),
        date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static LocalizedText Weekday(DayOfWeek day) => new(
        day switch
        {
            DayOfWeek.Monday => "月曜日",
            DayOfWeek.Tuesday => "火曜日",
            DayOfWeek.Wednesday => "水曜日",
            DayOfWeek.Thursday => "木曜日",
            DayOfWeek.Friday => "金曜日",
            DayOfWeek.Saturday => "土曜日",
            _ => "日曜日",
        },
        day.ToString());

    public static LocalizedText Channel(RedirectionChannel channel) => channel switch
    {
        RedirectionChannel.Clipboard => new("クリップボード", "clipboard"),
        RedirectionChannel.Drives => new("ドライブ", "drive"),
        RedirectionChannel.Printers => new("プリンター", "printer"),
        _ => new("シリアル／パラレルポート", "port"),
    };

    /// <summary>A time of day or window bound as HH:mm (24:00 allowed for a window's end).</summary>
    public static string Clock(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:00}:{time.Minutes:00}");
}
