namespace AspService.Tenancy;

public static class KanaText
{
    /// <summary>Katakana (ァ..ヶ) to hiragana; everything else unchanged. Half-width kana are folded first.</summary>
    public static string ToHiragana(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = text.Normalize(System.Text.NormalizationForm.FormKC);
        return string.Create(folded.Length, folded, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= 'ァ' and <= 'ヶ' ? (char)(c - 0x60) : c;
            }
        });
    }
}
