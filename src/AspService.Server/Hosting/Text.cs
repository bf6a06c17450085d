using System.Globalization;

namespace AspService.Server.Hosting;

/// <summary>
/// User-facing messages, Japanese first and English second. The request culture (ja-JP by default,
/// en on request via Accept-Language) picks the language.
/// </summary>
public static class Text
{
    private static readonly Dictionary<string, (string Ja, string En)> Messages = new(StringComparer.Ordinal)
    {
        ["invalid_request"] = ("入力内容に誤りがあります。", "The request has invalid fields."),
        ["malformed_json"] = ("JSON の形式が正しくありません。", "The body is not valid JSON."),
        ["unknown_field"] = ("この項目は受け付けていません。", "This field is not accepted."),
        ["wrong_type"] = ("値の型が正しくありません。", "The value has the wrong type."),
        ["required"] = ("必須項目です。", "This field is required."),
        ["too_long"] = ("{0} 文字以内で入力してください。", "At most {0} characters."),
        ["invalid_email"] = ("メールアドレスの形式が正しくありません。", "Not a valid email address."),
        ["invalid_phone"] = ("電話番号の形式が正しくありません（数字・ハイフン・括弧・+ のみ）。", "Not a valid phone number (digits, hyphens, brackets and + only)."),
        ["date_past"] = ("過去の日付は指定できません。", "The date must not be in the past."),
        ["code_empty"] = ("団体コードを入力してください。", "Enter the local government code."),
        ["code_not_digits"] = ("団体コードは数字で入力してください。", "The local government code must be digits."),
        ["code_length"] = ("団体コードは 6 桁（検査数字を除く 5 桁も可）で入力してください。", "The local government code has 6 digits (or 5 without the check digit)."),
        ["code_check_digit"] = ("団体コードの検査数字（6 桁目）が一致しません。コードをご確認ください。", "The check digit (6th digit) of the local government code does not match. Please check the code."),
        ["code_not_listed"] = ("この団体コードは地方公共団体コードの一覧にありません。", "This code is not in the list of local government codes."),
        ["code_is_ward"] = ("{0}（{1}）は{2}の区（行政区）で、地方公共団体ではありません。{2}（{3}）として申し込んでください。", "{0} ({1}) is a ward of {2}, not a local government. Apply as {2} ({3})."),
        ["code_has_tenant"] = ("{0}（{1}）はすでに利用中です（状態: {2}）。", "{0} ({1}) already has a tenant (state: {2})."),
        ["code_has_application"] = ("{0}（{1}）の申込はすでに受け付けています（審査中）。", "An application for {0} ({1}) is already pending review."),
        ["tenant_not_found"] = ("指定された団体は見つかりません。", "No such tenant."),
        ["tenant_suspended"] = ("この団体の利用は停止されています。", "This tenant is suspended."),
        ["tenant_closing"] = ("この団体は利用終了手続き中です。", "This tenant is being decommissioned."),
        ["tenant_provisioning"] = ("この団体は準備中です。しばらくしてから再度お試しください。", "This tenant is still being provisioned. Try again shortly."),
        ["tenant_conflict"] = ("ホスト名とパスで異なる団体が指定されています。", "The host name and the path name different tenants."),
        ["tenant_required"] = ("団体を指定してください（/t/{団体コード}/…）。", "This endpoint needs a tenant (/t/{code}/…)."),
        ["not_found"] = ("見つかりません。", "Not found."),
        ["illegal_transition"] = ("現在の状態（{0}）からは {1} にできません。", "A tenant in state {0} cannot become {1}."),
        ["application_decided"] = ("この申込はすでに処理済みです（{0}）。", "This application was already decided ({0})."),
        ["database_unavailable"] = ("データベースに一時的に接続できません。しばらくしてからもう一度お試しください。", "The database is temporarily unavailable. Try again shortly."),
        ["concurrent_change"] = ("他の操作と競合しました。最新の状態を確認してください。", "Another change happened at the same time. Reload and try again."),
        ["confirm_mismatch"] = ("確認のため、対象の団体コードを入力してください。", "Type the tenant's code to confirm."),
        ["signin_failed"] = ("メールアドレスまたはパスワードが正しくありません。", "Wrong email or password."),
        ["locked_out"] = ("試行回数が上限を超えたため、一時的にロックされています。", "Too many attempts; the account is locked for a while."),
        ["mfa_stage"] = ("先にパスワードでサインインしてください。", "Sign in with your password first."),
        ["totp_invalid"] = ("確認コードが正しくないか、すでに使用されています。", "The code is wrong or was already used."),
        ["rate_limited"] = ("リクエストが多すぎます。しばらくしてから再度お試しください。", "Too many requests. Try again later."),
        ["unauthorized"] = ("サインインが必要です。", "Sign-in required."),
        ["forbidden"] = ("この操作の権限がありません。", "You are not allowed to do this."),
        ["https_required"] = ("HTTPS で接続してください（HTTP はこのコンピューター内の接続だけに使えます）。", "Use HTTPS (plain HTTP is only for connections within this computer)."),
        ["path_invalid"] = ("URL のパスが正しくありません。", "The URL path is not valid."),
        ["reason_required"] = ("理由を入力してください。", "Give a reason."),
        ["egress_too_wide"] = ("範囲が広すぎます。IPv4 は /{0}、IPv6 は /{1} 以上のプレフィックス長で指定してください。", "Too wide: use a prefix of at least /{0} (IPv4) or /{1} (IPv6)."),
        ["signin_throttled"] = ("この接続元からのサインイン失敗が多すぎます。しばらくしてから再度お試しください。", "Too many failed sign-ins from this address. Try again later."),
        ["password_change_required"] = ("初期パスワードのままです。先にパスワードを変更してください。", "You are still using the one-time password. Change your password first."),
        ["password_expired"] = ("初期パスワードの有効期限が切れています。管理者に再発行を依頼してください。", "The one-time password has expired. Ask an administrator for a new one."),
        ["password_current_wrong"] = ("現在のパスワードが正しくありません。", "The current password is wrong."),
    };

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string Get(string key, params object[] args) => From(Messages, key, args);

    /// <summary>
    /// Looks a message up in a feature's own catalog: each feature keeps its texts in its own folder
    /// (e.g. <c>Identity/IdentityText.cs</c>) and calls this, so features never edit one shared file.
    /// </summary>
    public static string From(IReadOnlyDictionary<string, (string Ja, string En)> catalog, string key, params object[] args)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (!catalog.TryGetValue(key, out var pair))
        {
            throw new KeyNotFoundException(key);
        }

        var format = IsEnglish ? pair.En : pair.Ja;
        return args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
    }
}
