namespace AspService.Server.Audit;

/// <summary>
/// The details the features write are short <c>key=value</c> lists (separated by <c>;</c> or spaces, values by
/// commas: <c>at=broker SourceNetworkNotAllowed,RedirectionUnknown</c>) or bare words (<c>resend</c>); the policy
/// writes its whole JSON document. This splits them so a screen can put each key and value into words.
/// </summary>
public static class AuditDetail
{
    public static bool IsJson(string? detail) => detail is { Length: > 0 } && detail[0] == '{';

    public static IReadOnlyList<AuditDetailPart> Parse(string? detail)
    {
        if (string.IsNullOrWhiteSpace(detail) || IsJson(detail))
        {
            return [];
        }

        var parts = new List<AuditDetailPart>();
        foreach (var token in detail.Split([';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = eq > 0 ? (token[..eq], token[(eq + 1)..]) : ((string?)null, token);
            parts.Add(new AuditDetailPart(key, value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        }

        return parts;
    }
}
