namespace AspService.Server.Consoles;

/// <summary>
/// Where the provider publishes the agent (section <c>AgentDownload</c>): the folder holding <c>win-x64/</c> and
/// <c>linux-x64/</c> as <c>.ci/run</c> lays them out in <c>artifacts/agent</c>. Unset: staff are told to get it from
/// their administrators.
/// </summary>
public sealed class AgentDownloadOptions
{
    public const string Section = "AgentDownload";

    public string? BaseUrl { get; set; }

    /// <summary>Empty or an absolute http(s) URL.</summary>
    public static bool IsValid(AgentDownloadOptions options) =>
        string.IsNullOrEmpty(options?.BaseUrl)
        || (Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http");

    public string? File(string path) => string.IsNullOrEmpty(BaseUrl) ? null : BaseUrl.TrimEnd('/') + "/" + path;
}
