namespace AspService.Policy;

/// <summary>A user-facing message in Japanese (first) and English.</summary>
public readonly record struct LocalizedText(string Ja, string En)
{
    public string For(bool english) => english ? En : Ja;
}
