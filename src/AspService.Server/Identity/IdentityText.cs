using AspService.Server.Hosting;

namespace AspService.Server.Identity;

/// <summary>Tenant identity messages (Japanese first, English on Accept-Language: en).</summary>
public static class IdentityText
{
    private static readonly Dictionary<string, (string Ja, string En)> Messages = new(StringComparer.Ordinal)
    {
        ["password_too_short"] = ("パスワードは 12 文字以上にしてください。", "The password must have at least 12 characters."),
        ["password_too_long"] = ("パスワードは 128 文字以内にしてください。", "The password must have at most 128 characters."),
        ["password_common"] = ("よく使われるパスワードのため使用できません。", "This password is too common."),
        ["password_repetitive"] = ("同じ文字の繰り返しは使用できません。", "The password repeats too few characters."),
        ["password_contains_email"] = ("メールアドレスを含むパスワードは使用できません。", "The password must not contain your email address."),
        ["link_invalid"] = ("このリンクは無効か、有効期限が切れているか、すでに使用されています。", "This link is invalid, expired or already used."),
        ["account_disabled"] = ("このアカウントは無効化されています。管理者にお問い合わせください。", "This account is disabled. Contact your administrator."),
        ["recovery_invalid"] = ("リカバリーコードが正しくないか、すでに使用されています。", "The recovery code is wrong or was already used."),
        ["mfa_enrolled"] = ("確認コードはすでに登録済みです。", "A one-time code app is already enrolled."),
        ["user_exists"] = ("このメールアドレスの利用者はすでに登録されています。", "A user with this email address already exists."),
        ["invitation_not_pending"] = ("この利用者はすでにパスワードを設定済みです。再招待ではなくパスワード再設定を案内してください。", "This user has already set a password; send a password reset instead of a new invitation."),
        ["role_invalid"] = ("権限は TenantAdmin または Staff を指定してください。", "The role must be TenantAdmin or Staff."),
        ["self_change"] = ("自分自身に対してこの操作はできません。", "You cannot do this to your own account."),
        ["user_not_found"] = ("利用者が見つかりません。", "No such user."),
        ["import_invalid"] = ("取込ファイルに誤りがあります。何も登録していません。", "The import file has errors. Nothing was written."),
        ["import_too_large"] = ("取込ファイルが大きすぎます（{0} バイト以内）。", "The import file is too large (at most {0} bytes)."),
        ["csv_encoding"] = ("文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。", "Unknown encoding. Save the file as UTF-8 or Shift_JIS."),
        ["csv_empty"] = ("ファイルが空です。", "The file is empty."),
        ["csv_unknown_column"] = ("不明な列「{0}」があります。", "Unknown column \"{0}\"."),
        ["csv_duplicate_column"] = ("列「{0}」が重複しています。", "Column \"{0}\" appears twice."),
        ["csv_missing_column"] = ("必須の列がありません。", "A required column is missing."),
        ["csv_too_many_rows"] = ("行数が上限（{0} 行）を超えています。", "More than {0} rows."),
        ["csv_field_count"] = ("列の数が見出し行（{0} 列）と一致しません。", "The number of fields does not match the header ({0})."),
        ["csv_required"] = ("必須項目が空です。", "This field is empty."),
        ["csv_too_long"] = ("{0} 文字以内にしてください。", "At most {0} characters."),
        ["csv_invalid_email"] = ("メールアドレスの形式が正しくありません。", "Not a valid email address."),
        ["csv_duplicate_email"] = ("このメールアドレスは {0} 行目と重複しています。", "This email address repeats line {0}."),
        ["csv_invalid_role"] = ("権限「{0}」は指定できません（管理者 / 職員）。", "Role \"{0}\" is not allowed (TenantAdmin / Staff)."),
        ["csv_unclosed_quote"] = ("引用符（\"）が閉じられていません。", "A quoted field is not closed."),
        ["invitation_subject"] = ("【{0}】テレワークサービスへの招待", "[{0}] Invitation to the telework service"),
        ["invitation_body"] = (
            "{1} 様\r\n\r\n{0} のテレワークサービス（提供：{4}）に招待されました。\r\n次のリンクからパスワードを設定してください（{2} 時間有効、1 回限り）。\r\n\r\n{3}\r\n\r\n心当たりのない場合はこのメールを破棄してください。\r\n",
            "Dear {1},\r\n\r\nYou were invited to the telework service of {0}, provided by {4}.\r\nSet your password with this link (valid for {2} hours, once):\r\n\r\n{3}\r\n\r\nIf you did not expect this, ignore this mail.\r\n"),
        ["reset_subject"] = ("【{0}】パスワード再設定のご案内", "[{0}] Password reset"),
        ["reset_body"] = (
            "{1} 様\r\n\r\nパスワード再設定の依頼を受け付けました。\r\n次のリンクから新しいパスワードを設定してください（{2} 時間有効、1 回限り）。\r\n\r\n{3}\r\n\r\n依頼していない場合はこのメールを破棄してください。\r\n",
            "Dear {1},\r\n\r\nA password reset was requested.\r\nSet a new password with this link (valid for {2} hours, once):\r\n\r\n{3}\r\n\r\nIf you did not ask for this, ignore this mail.\r\n"),
    };

    public static string Get(string key, params object[] args) => Text.From(Messages, key, args);
}
