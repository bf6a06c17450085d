using System.Globalization;
using AspService.Sessions;

namespace AspService.Agent.Output;

/// <summary>
/// Every human message of the agent, Japanese first and English second. One language is printed per run
/// (decision 0050): <c>--lang</c>, else the POSIX locale variables, else the Windows UI culture; anything
/// that is not English is Japanese.
/// </summary>
public sealed class AgentText
{
    private static readonly Dictionary<string, (string Ja, string En)> Messages = new(StringComparer.Ordinal)
    {
        ["no_command"] = ("コマンドを指定してください（enroll, status, renew, unenroll）。使い方は aspagent --help", "Give a command (enroll, status, renew, unenroll); see aspagent --help."),
        ["cancelled"] = ("中断しました。", "Cancelled."),
        ["invalid_arguments"] = ("引数が正しくありません: {0}", "Invalid arguments: {0}"),
        ["invalid_lang"] = ("--lang には ja か en を指定してください。", "--lang takes ja or en."),
        ["missing_server"] = ("--server にサーバーの URL を指定してください（例: https://131016.asp.example.jp）。", "--server is required (e.g. https://131016.asp.example.jp)."),
        ["invalid_server"] = ("--server の URL が正しくありません（http(s)://ホスト[:ポート][/パス] の形式）: {0}", "--server is not a valid http(s)://host[:port][/path] URL: {0}"),
        ["http_not_loopback"] = ("http はこのコンピューター（localhost）宛てにしか使えません。https を指定してください: {0}", "Plain http is allowed only for localhost; use https: {0}"),
        ["missing_token"] = ("--token に登録トークンを指定してください。", "--token (the enrollment token) is required."),
        ["ca_file_unreadable"] = ("--ca-file を読み込めません: {0}", "Cannot read --ca-file: {0}"),
        ["ca_file_empty"] = ("--ca-file に PEM 形式の証明書がありません: {0}", "--ca-file holds no PEM certificate: {0}"),
        ["machine_windows_only"] = ("--machine は Windows 専用です。--config DIR か ASPAGENT_HOME を指定してください。", "--machine is for Windows only; use --config DIR or ASPAGENT_HOME."),
        ["no_home"] = ("設定ディレクトリを決められません。--config DIR か ASPAGENT_HOME を指定してください。", "Cannot determine the configuration directory; use --config DIR or ASPAGENT_HOME."),
        ["not_enrolled"] = ("この端末は登録されていません（{0} に agent.json がありません）。aspagent enroll で登録してください。", "Not enrolled: no agent.json in {0}; run aspagent enroll."),
        ["already_enrolled"] = ("この端末は登録済みです（{0}）。登録し直すには --force を指定してください（先に aspagent unenroll で解除することをお勧めします）。", "Already enrolled ({0}); use --force to enroll again (aspagent unenroll first is better)."),
        ["config_corrupt"] = ("設定ファイル {0} を読み込めません: {1}", "Cannot read the configuration {0}: {1}"),
        ["files_missing"] = ("鍵または証明書が見つかりません（{0}）。aspagent enroll --force で登録し直してください。", "The key or certificate is missing ({0}); run aspagent enroll --force."),
        ["key_mismatch"] = ("鍵と証明書が一致しません（{0}）。aspagent enroll --force で登録し直してください。", "The key does not match the certificate ({0}); run aspagent enroll --force."),
        ["dir_not_private"] = ("ディレクトリ {0} は他のユーザーからアクセスできます。chmod 700 してから再実行してください。", "Directory {0} is accessible by other users; chmod 700 it and try again."),
        ["io_failed"] = ("ファイルを保存・読み込みできません: {0}", "File operation failed: {0}"),
        ["unreachable"] = ("サーバーに接続できません（{0}）: {1}", "Cannot reach the server ({0}): {1}"),
        ["timeout"] = ("サーバーが時間内に応答しません（{0}）。", "The server did not answer in time ({0})."),
        ["refused"] = ("サーバーがこの端末の証明書を拒否しました（失効済みまたは未登録）: {0}", "The server refused this terminal's certificate (revoked or unknown): {0}"),
        ["untrusted_server"] = ("サーバー証明書を検証できません（{0}）: {1}", "The server's certificate did not validate ({0}): {1}"),
        ["http_error"] = ("サーバーがエラーを返しました（HTTP {0}）。", "The server answered HTTP {0}."),
        ["bad_response"] = ("サーバーの応答が正しくありません: {0}", "Unexpected answer from the server: {0}"),
        ["enrolled"] = ("登録しました: {0}「{1}」、{2}（{3}）、証明書の有効期限 {4}。", "Enrolled: {0} \"{1}\" of {2} ({3}); certificate valid until {4}."),
        ["pending_approval"] = ("管理者の承認待ちです。", "Waiting for the administrator's approval."),
        ["renewed"] = ("証明書を更新しました。有効期限 {0}、次の更新は {1} から。", "Certificate renewed; valid until {0}, next renewal from {1}."),
        ["renewal_not_open"] = ("まだ更新できません（{0} から更新できます）。", "Renewal is not open yet (opens {0})."),
        ["not_due"] = ("更新は不要です（{0} から更新できます）。", "Not due: renewal opens {0}."),
        ["unenrolled"] = ("登録を解除しました（サーバーが証明書を失効させました）。{0} のファイルを削除しました。", "Unenrolled: the server revoked the certificate; files in {0} removed."),
        ["unenrolled_local"] = ("{0} のファイルだけを削除しました（サーバーには通知していません）。", "Removed the files in {0} only (the server was not told)."),
        ["unenroll_kept"] = ("{0} ローカルのファイルは残しています（削除だけするには --local-only）。", "{0} Local files kept (--local-only removes them)."),
        ["status_terminal"] = ("端末: {0}「{1}」（{2}）", "Terminal: {0} \"{1}\" ({2})"),
        ["status_tenant"] = ("団体: {0}（{1}）", "Tenant: {0} ({1})"),
        ["status_certificate"] = ("証明書: シリアル {0}、有効期限 {1}、更新開始 {2}", "Certificate: serial {0}, valid until {1}, renewal from {2}"),
        ["status_local"] = ("ローカル状態: {0}（{1}）", "Local state: {0} ({1})"),
        ["status_server_ok"] = ("サーバー: {0} に接続できました。サーバー上の状態: {1}", "Server: {0} reachable; state on the server: {1}"),
        ["status_server_failed"] = ("サーバー: {0} — {1}", "Server: {0} — {1}"),
        ["reach_refused"] = ("拒否されました", "refused"),
        ["reach_unreachable"] = ("接続できません", "unreachable"),
        ["reach_untrusted"] = ("サーバー証明書を検証できません", "server certificate not trusted"),
        ["reach_http"] = ("エラー応答", "error answer"),
        ["kind_office"] = ("庁内端末", "office terminal"),
        ["kind_home"] = ("自宅端末", "home device"),
        ["state_active"] = ("有効", "active"),
        ["state_pendingApproval"] = ("承認待ち", "pending approval"),
        ["state_disabled"] = ("無効", "disabled"),
        ["local_valid"] = ("有効", "valid"),
        ["local_renewal-due"] = ("更新時期", "renewal due"),
        ["local_expired"] = ("期限切れ", "expired"),
        ["local_not-yet-valid"] = ("有効期間前", "not yet valid"),
    };

    private AgentText(bool english) => IsEnglish = english;

    public static AgentText Japanese { get; } = new(false);

    public static AgentText English { get; } = new(true);

    public bool IsEnglish { get; }

    /// <summary>The value sent as Accept-Language, so server problem details come in the same language.</summary>
    public string LanguageTag => IsEnglish ? "en" : "ja";

    /// <summary>--lang wins; then LC_ALL, LC_MESSAGES, LANG (POSIX order); then the Windows UI culture.</summary>
    public static AgentText Choose(string? lang, Func<string, string?> environment, CultureInfo uiCulture)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(uiCulture);
        if (!string.IsNullOrWhiteSpace(lang))
        {
            return IsEnglishTag(lang) ? English : Japanese;
        }

        foreach (var name in (string[])["LC_ALL", "LC_MESSAGES", "LANG"])
        {
            var value = environment(name);
            if (!string.IsNullOrEmpty(value))
            {
                return IsEnglishTag(value) ? English : Japanese;
            }
        }

        return OperatingSystem.IsWindows() && uiCulture.TwoLetterISOLanguageName == "en" ? English : Japanese;
    }

    private static bool IsEnglishTag(string value) => value.StartsWith("en", StringComparison.OrdinalIgnoreCase);

    public string Get(string key, params object?[] args)
    {
        var (ja, en) = Messages[key];
        var format = IsEnglish ? en : ja;
        return args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
    }

    /// <summary>A known code (kind, state) in words, or the code itself when the server sends a new one.</summary>
    public string Word(string prefix, string? code) =>
        code is not null && Messages.ContainsKey(prefix + code) ? Get(prefix + code) : code ?? "-";

    /// <summary>Dates as people read them, always in JST (the service's convention).</summary>
    public string Date(DateTimeOffset instant)
    {
        var jst = Jst.ToJst(instant);
        return IsEnglish
            ? jst.ToString("yyyy-MM-dd HH:mm 'JST'", CultureInfo.InvariantCulture)
            : jst.ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);
    }
}
