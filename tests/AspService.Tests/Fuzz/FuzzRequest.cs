namespace AspService.Tests.Fuzz;

/// <summary>One hostile request: what was mutated (for the counts), and the exact bytes to send.</summary>
public sealed record FuzzRequest(string Kind, string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers, byte[]? Body)
{
    public byte[] Head() => RawHttp.Head(Method, Target, Body is null ? Headers : [.. Headers, ("Content-Length", Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

    public override string ToString() => $"{Kind}: {Method} {(Target.Length > 160 ? Target[..160] + "…" : Target)}";
}

/// <summary>Who sends the requests: cookies or bearer headers of one caller (anonymous has none).</summary>
public sealed record FuzzIdentity(string Name, IReadOnlyList<(string Name, string Value)> Headers);
