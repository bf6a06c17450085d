namespace AspService.Server.Terminals;

/// <summary>「端末の紛失・盗難の届出」: the staff member's own home device is lost or stolen.</summary>
public sealed record ReportLostDeviceCommand(Guid TerminalId, bool Stolen);
