using AspService.Common;

namespace AspService.Server.Hosting;

/// <summary>Failures with the shared vocabulary's titles (<see cref="Text"/>): the same words <see cref="Problems"/> writes.</summary>
public static class Failures
{
    public static Failure Of(int status, string key, params object[] args) =>
        new(key.Replace('_', '-'), status, Text.Get(key, args));

    /// <summary>A failure whose title is already localized (from a feature's own text catalog).</summary>
    public static Failure Titled(int status, string code, string title) => new(code, status, title);

    public static Failure Fields(IReadOnlyDictionary<string, string[]> errors, int status = StatusCodes.Status400BadRequest) =>
        new("invalid-request", status, Text.Get("invalid_request"), errors);

    public static Failure Field(string field, string message, int status = StatusCodes.Status400BadRequest) =>
        Fields(new Dictionary<string, string[]> { [field] = [message] }, status);

    public static Failure NotFound() => Of(StatusCodes.Status404NotFound, "not_found");
}
