namespace AspService.Server.Terminals;

/// <summary>Why a lost-device report changed nothing.</summary>
public enum ReportLostDeviceError
{
    /// <summary>No such device among the reporter's own home devices (another user's or tenant's device looks the same).</summary>
    NotFound,
}
