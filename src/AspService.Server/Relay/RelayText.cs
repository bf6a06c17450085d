using AspService.Server.Hosting;

namespace AspService.Server.Relay;

/// <summary>Messages of the relay and the session broker (Japanese first, English on Accept-Language: en).</summary>
internal static class RelayText
{
    private static readonly Dictionary<string, (string Ja, string En)> Messages = new(StringComparer.Ordinal)
    {
        ["token_invalid"] = ("アクセストークンが無効です。もう一度サインインしてください。", "The access token is not valid; sign in again."),
        ["home_only"] = ("セッションの要求は自宅端末からのみ行えます。", "Sessions can only be requested from a home terminal."),
        ["office_only"] = ("この接続は庁内端末専用です。", "This connection is for office terminals only."),
        ["not_owner"] = ("この自宅端末はサインインした職員のものではありません。", "This home terminal does not belong to the signed-in staff member."),
        ["pending_approval"] = ("この自宅端末は管理者の承認待ちです。", "This home terminal is waiting for an administrator's approval."),
        ["office_not_assigned"] = ("指定した庁内端末は割り当てられていません。", "That office terminal is not assigned to you."),
        ["office_choose"] = ("接続先の庁内端末を指定してください。", "Choose the office terminal to connect to."),
        ["office_offline"] = ("庁内端末がオフラインです。", "The office terminal is offline."),
        ["office_inactive"] = ("庁内端末が利用できない状態です。", "The office terminal cannot be used."),
        ["session_denied"] = ("テレワークポリシーにより接続できません。", "The telework policy does not allow this session."),
        ["ticket_invalid"] = ("接続チケットが無効です（{0}）。", "The session ticket is not valid ({0})."),
        ["session_not_waiting"] = ("このセッションは接続待ちではありません。", "This session is not waiting for a connection."),
        ["websocket_required"] = ("WebSocket で接続してください。", "Connect with a WebSocket."),
        ["tunnel_required"] = ("データ トンネルは GET /api/v1/relay/data と Upgrade: aspservice-relay/1 で開いてください。", "Open the data tunnel with GET /api/v1/relay/data and Upgrade: aspservice-relay/1."),
        ["session_not_found"] = ("セッションが見つかりません。", "The session was not found."),
        ["session_not_live"] = ("このセッションは接続中ではありません。", "This session is not live."),
    };

    public static string Get(string key, params object[] args) => Text.From(Messages, key, args);
}
