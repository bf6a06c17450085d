using AspService.Server.Hosting;

namespace AspService.Server.Pki;

/// <summary>The certificate-rotation mail to a tenant's admins (Japanese default, English on request).</summary>
internal static class RotationText
{
    private static readonly Dictionary<string, (string Ja, string En)> Messages = new(StringComparer.Ordinal)
    {
        ["expired_subject"] = ("【{0}】端末証明書の期限切れ（未更新）のお知らせ", "[{0}] Terminal certificates expired without renewal"),
        ["expired_body"] = (
            "{0} の管理者 様\r\n\r\n次の {1} 台の端末は、証明書が更新されないまま有効期限が切れました。\r\nこれらの端末は接続できません。端末のエージェントを確認するか、登録トークンを発行して再登録してください。\r\n\r\n{2}\r\n",
            "Dear administrator of {0},\r\n\r\nThe certificates of these {1} terminals expired without being renewed.\r\nThey cannot connect. Check the agent on each terminal, or issue an enrollment token to enroll it again.\r\n\r\n{2}\r\n"),
    };

    public static string Get(string key, params object[] args) => Text.From(Messages, key, args);
}
