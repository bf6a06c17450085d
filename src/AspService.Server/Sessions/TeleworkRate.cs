using System.Text;

namespace AspService.Server.Sessions;

/// <summary>One month's (or fiscal year's) 利用率: staff who teleworked ÷ staff (decision 0086).</summary>
public sealed record TeleworkRate(string Label, int Staff, int Teleworked, bool Partial)
{
    /// <summary>Percent with one decimal, or null when there is nobody to divide by.</summary>
    public decimal? Percent => Staff == 0 ? null : Math.Round(100m * Teleworked / Staff, 1, MidpointRounding.AwayFromZero);
}
