using System.Globalization;
using AspService.Policy;
using AspService.Common;

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
        ["no_command"] = ("コマンドを指定してください（enroll, status, renew, unenroll, office, connect）。使い方は aspagent --help", "Give a command (enroll, status, renew, unenroll, office, connect); see aspagent --help."),
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
        ["proxy_both"] = ("--proxy と --no-proxy は同時に指定できません。", "--proxy and --no-proxy cannot be combined."),
        ["proxy_invalid"] = ("プロキシの URL が正しくありません（http://ホスト:ポート の形式）: {0}", "The proxy is not a valid http://host:port URL: {0}"),
        ["target_invalid"] = ("--target は ホスト:ポート の形式で指定してください（例: 127.0.0.1:3389）: {0}", "--target must be host:port (e.g. 127.0.0.1:3389): {0}"),
        ["listen_invalid"] = ("--listen は アドレス:ポート の形式で指定してください（例: 127.0.0.1:0）: {0}", "--listen must be address:port (e.g. 127.0.0.1:0): {0}"),
        ["listen_not_loopback"] = ("--listen にはこのコンピューター内のアドレス（127.0.0.1 または ::1）しか指定できません: {0}", "--listen takes a loopback address only (127.0.0.1 or ::1): {0}"),
        ["relay_status"] = ("リレー（{0}）が接続を受け付けませんでした（HTTP {1}）。", "The relay ({0}) did not accept the connection (HTTP {1})."),
        ["closed_by_relay"] = ("リレーが接続を閉じました", "closed by the relay"),
        ["needs_office"] = ("このコマンドは庁内端末で使います（この登録は{0}です）。", "This command is for an office terminal (this enrollment is a {0})."),
        ["needs_home"] = ("このコマンドは自宅端末で使います（この登録は{0}です）。", "This command is for a home device (this enrollment is an {0})."),
        ["office_starting"] = ("庁内モードを開始します: 端末「{0}」、転送先 {1}、プロキシ {2}。", "Office mode starting: terminal \"{0}\", target {1}, proxy {2}."),
        ["office_connected"] = ("リレー {0} に接続しました。端末「{1}」はオンラインです（転送先 {2}）。", "Connected to the relay {0}; terminal \"{1}\" is online (target {2})."),
        ["office_disconnected"] = ("リレーとの接続が切れました: {0}", "Disconnected from the relay: {0}"),
        ["office_connect_failed"] = ("リレーに接続できません: {0}", "Cannot connect to the relay: {0}"),
        ["office_retry"] = ("{0} 秒後に再接続します。", "Reconnecting in {0} s."),
        ["office_stopped"] = ("庁内モードを停止しました。", "Office mode stopped."),
        ["office_session"] = ("セッション {0} を開始します（転送先 {1}）。", "Session {0}: connecting to {1}."),
        ["office_session_ended"] = ("セッション {0} が終了しました（リレーへ {1} バイト、リレーから {2} バイト）。", "Session {0} ended ({1} bytes to the relay, {2} bytes from it)."),
        ["office_session_failed"] = ("セッション {0} を中継できませんでした: {1}", "Session {0} could not be relayed: {1}"),
        ["office_session_closed"] = ("リレーがセッション {0} を終了しました（{1}）。", "The relay closed session {0} ({1})."),
        ["office_target_failed"] = ("転送先 {0} に接続できません: {1}", "Cannot connect to the target {0}: {1}"),
        ["service_windows_only"] = ("--service は Windows のサービスとして起動されたときだけ使います。", "--service is only for running as a Windows service."),
        ["service_unsupported_os"] = ("このOSではサービスを登録できません（Linux の systemd と Windows のみ）。", "Service installation is supported on Linux (systemd) and Windows only."),
        ["service_needs_root"] = ("/etc/systemd/system に書き込むには root 権限が必要です（sudo で実行するか、--print で内容を表示してください）。", "Writing to /etc/systemd/system needs root; use sudo, or --print to show the unit."),
        ["service_needs_machine"] = ("Windows サービスはコンピューターの証明書ストアを使います。aspagent enroll --machine で登録し、--machine を付けて実行してください。", "The Windows service uses the machine store: enroll with --machine and run this with --machine."),
        ["service_written"] = ("{0} を書き込みました。有効にするには: systemctl daemon-reload && systemctl enable --now {1}", "Wrote {0}. To start it: systemctl daemon-reload && systemctl enable --now {1}"),
        ["service_created"] = ("Windows サービス {0} を登録しました。開始するには: sc.exe start {0}", "Created the Windows service {0}. To start it: sc.exe start {0}"),
        ["service_failed"] = ("{0} が失敗しました（終了コード {1}）: {2}", "{0} failed (exit code {1}): {2}"),
        ["sign_in"] = ("サインインしてください: ブラウザーで {0} を開き、コード {1} を入力してください。", "Sign in: open {0} in a browser and enter the code {1}."),
        ["signed_in"] = ("サインインしました。", "Signed in."),
        ["sign_in_denied"] = ("サインインが拒否されました。", "The sign-in was denied."),
        ["sign_in_expired"] = ("サインインのコードの有効期限が切れました。もう一度実行してください。", "The sign-in code expired; run the command again."),
        ["sign_in_failed"] = ("サインインできませんでした: {0}", "The sign-in failed: {0}"),
        ["no_offices"] = ("接続できる庁内端末が割り当てられていません。管理者に確認してください。", "No office terminal is assigned to you; ask your administrator."),
        ["office_choose"] = ("接続先の庁内端末を指定してください: {0}", "Give the office terminal to connect to: {0}"),
        ["office_not_found"] = ("庁内端末「{0}」は割り当てられていません（割り当て: {1}）。", "Office terminal \"{0}\" is not assigned to you (assigned: {1})."),
        ["office_ambiguous"] = ("「{0}」という名前の庁内端末が複数あります。ID で指定してください。", "Several office terminals are named \"{0}\"; give the id."),
        ["listening"] = ("「{0}」への接続を {1} で待っています。リモートデスクトップで接続してください（.rdp ファイル: {2}）。", "Ready for \"{0}\": connect your remote desktop client to {1} (.rdp file: {2})."),
        ["mstsc_started"] = ("リモートデスクトップ接続（mstsc）を起動しました。", "Started Remote Desktop Connection (mstsc)."),
        ["mstsc_failed"] = ("mstsc を起動できません: {0}", "Cannot start mstsc: {0}"),
        ["no_local_connection"] = ("{0} 秒以内にリモートデスクトップが接続しなかったため、セッションを取りやめました。もう一度実行してください。", "No remote desktop client connected within {0} s; the session was given up. Run the command again."),
        ["session_connected"] = ("「{0}」に接続しました。", "Connected to \"{0}\"."),
        ["session_ended_local"] = ("セッションを終了しました（送信 {0} バイト、受信 {1} バイト）。", "Session ended ({0} bytes sent, {1} bytes received)."),
        ["session_ended_relay"] = ("庁内端末側またはリレーがセッションを終了しました（送信 {0} バイト、受信 {1} バイト）。", "The office side or the relay ended the session ({0} bytes sent, {1} bytes received)."),
        ["session_ended_reason"] = ("リレーがセッションを終了しました: {0}（送信 {1} バイト、受信 {2} バイト）。", "The relay ended the session: {0} ({1} bytes sent, {2} bytes received)."),
        ["session_ended_stopped"] = ("セッションを中断して終了しました（送信 {0} バイト、受信 {1} バイト）。", "Session stopped ({0} bytes sent, {1} bytes received)."),
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
