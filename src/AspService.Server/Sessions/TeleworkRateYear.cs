using System.Text;

namespace AspService.Server.Sessions;

public sealed record TeleworkRateYear(int FiscalYear, IReadOnlyList<TeleworkRate> Months, TeleworkRate Year);
