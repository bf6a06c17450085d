namespace AspService.Server.Billing;

/// <summary>What recomputing one tenant's month found: the days with figures and the month's active users.</summary>
public sealed record MeterResultDto(string Month, int Days, int ActiveUsers);
