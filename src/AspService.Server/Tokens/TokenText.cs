using AspService.Server.Hosting;

namespace AspService.Server.Tokens;

/// <summary>Messages of the token feature (Japanese first, English on Accept-Language: en).</summary>
internal static class TokenText
{
    private static readonly Dictionary<string, (string Ja, string En)> Messages = new(StringComparer.Ordinal)
    {
        ["user_code_invalid"] = ("確認コードが正しくないか、有効期限が切れています。", "The user code is wrong or has expired."),
        ["account_unusable"] = ("このアカウントではトークンを発行できません。", "No tokens can be issued for this account."),
        ["grant_unsupported"] = ("この許可タイプは使用できません。", "This grant type is not supported."),
    };

    public static string Get(string key) => Text.From(Messages, key);
}
