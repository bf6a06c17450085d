using System.Resources;
using AspService.Server.Hosting;

namespace AspService.Server.Billing;

/// <summary>Billing messages, Japanese first.</summary>
internal static class BillingText
{
    // The words live in BillingText.resx (Japanese, the neutral language) and BillingText.en.resx (decision 0102).
    internal static ResourceManager Resources { get; } = new(typeof(BillingText).FullName!, typeof(BillingText).Assembly);

    public static string Get(string key, params object[] args) => Text.From(Resources, key, args);
}
