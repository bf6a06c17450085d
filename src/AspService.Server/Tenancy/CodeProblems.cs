using AspService.Server.Hosting;
using AspService.Tenancy;

namespace AspService.Server.Tenancy;

/// <summary>Turns a failed code lookup into the precise message for the <c>code</c> field.</summary>
public static class CodeProblems
{
    public static string Message(CodeLookup lookup) => lookup.Error switch
    {
        LookupError.Empty => Text.Get("code_empty"),
        LookupError.NotDigits => Text.Get("code_not_digits"),
        LookupError.WrongLength => Text.Get("code_length"),
        LookupError.CheckDigitMismatch => Text.Get("code_check_digit"),
        LookupError.NotListed => Text.Get("code_not_listed"),
        LookupError.IsWard => Text.Get("code_is_ward", lookup.Entry!.Name, lookup.Entry.Code,
            lookup.Parent?.Name ?? "?", lookup.Parent?.Code ?? "?"),
        _ => throw new ArgumentOutOfRangeException(nameof(lookup)),
    };
}
