using AspService.Server.Hosting;

namespace AspService.Server.Terminals;

/// <summary>Messages of the terminal registry and enrollment (Japanese first, English on Accept-Language: en).</summary>
internal static class TerminalText
{
    private static readonly Dictionary<string, (string Ja, string En)> Messages = new(StringComparer.Ordinal)
    {
        ["terminal_not_found"] = ("端末が見つかりません。", "The terminal was not found."),
        ["kind_invalid"] = ("端末の種類は office（庁内端末）または home（自宅端末）です。", "The kind must be office or home."),
        ["owner_required"] = ("自宅端末には所有者（職員）が必要です。", "A home terminal needs an owner (a staff member)."),
        ["owner_invalid"] = ("所有者に指定した利用者が存在しないか、無効です。", "The owner does not exist or is disabled."),
        ["user_invalid"] = ("利用者が存在しないか、無効です。", "The user does not exist or is disabled."),
        ["office_only"] = ("割り当てができるのは庁内端末だけです。", "Only office terminals can be assigned to staff."),
        ["not_pending"] = ("この端末は承認待ちではありません。", "This terminal is not waiting for approval."),
        ["terminal_disabled"] = ("この端末は無効化されています。", "This terminal is disabled."),
        ["token_invalid"] = ("登録トークンが正しくありません。", "The enrollment token is not valid."),
        ["token_used"] = ("この登録トークンは使用済みです。", "This enrollment token has already been used."),
        ["token_expired"] = ("登録トークンの有効期限が切れています。", "The enrollment token has expired."),
        ["token_not_found"] = ("登録トークンが見つかりません。", "The enrollment token was not found."),
        ["ttl_range"] = ("有効期間は {0}〜{1} 分で指定してください。", "The lifetime must be between {0} and {1} minutes."),
        ["kind_mismatch"] = ("トークンの種類と端末の種類が一致しません。", "The token's kind does not match the terminal's."),
        ["csr_required"] = ("証明書署名要求 (CSR) を指定してください。", "A certificate signing request (CSR) is required."),
        ["csr_too_large"] = ("CSR が大きすぎます（最大 {0} バイト）。", "The CSR is too large (at most {0} bytes)."),
        ["csr_invalid"] = ("CSR を PEM として読み取れません。", "The CSR cannot be read as PEM."),
        ["csr_signature"] = ("CSR の署名が正しくありません。", "The CSR's signature does not verify."),
        ["csr_key_weak"] = ("鍵の種類が使用できません。ECDSA P-256 の鍵を使ってください。", "Key type not accepted: use an ECDSA P-256 key."),
        ["pki_not_ready"] = ("この自治体の認証局はまだ準備中です。", "This municipality's certificate authority is not ready yet."),
        ["renewal_not_open"] = ("証明書の更新は {0}（日本時間）から可能です。", "Renewal opens at {0} (JST)."),
        ["certificate_refused"] = ("端末証明書が無効です（{0}）。", "The terminal certificate is not valid ({0})."),
        ["pending_approval"] = ("この端末は管理者の承認待ちです。", "This terminal is waiting for an administrator's approval."),
        ["self_registration_disabled"] = ("自宅端末の自己登録は、このテレワークポリシーでは許可されていません。", "The telework policy does not allow staff to register their own home devices."),
        ["default_office_name"] = ("庁内端末 {0}", "Office terminal {0}"),
        ["default_home_name"] = ("自宅端末 {0}", "Home terminal {0}"),
    };

    public static string Get(string key, params object[] args) => Text.From(Messages, key, args);
}
