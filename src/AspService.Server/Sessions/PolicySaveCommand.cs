using AspService.Sessions;

namespace AspService.Server.Sessions;

/// <summary>The whole new policy, the version it was edited from (null: any), and whether a weakening was confirmed.</summary>
public sealed record PolicySaveCommand(TeleworkPolicy Policy, int? ExpectedVersion, bool WeakeningConfirmed);
