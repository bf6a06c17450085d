namespace AspService.Server.Resources;

/// <summary>
/// The consoles' one vocabulary: <c>ConsoleText.resx</c> (Japanese, the neutral language) and
/// <c>ConsoleText.en.resx</c>. Pages and error pages take their words from <c>IStringLocalizer&lt;ConsoleText&gt;</c>.
/// </summary>
public sealed class ConsoleText;
