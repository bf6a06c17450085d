namespace AspService.Server.Terminals;

/// <summary>What a lost-device report did, or why it did nothing.</summary>
public sealed record ReportLostDeviceOutcome(ReportLostDeviceError? Error, string? TerminalName = null, int CertificatesRevoked = 0, int AdminsNotified = 0)
{
    public bool Succeeded => Error is null;

    public static ReportLostDeviceOutcome Failed(ReportLostDeviceError error) => new(error);
}
