namespace AspService.Tests.Fuzz;

/// <summary>
/// Defects found by the outside sweep (issue 12) and fixed on other branches. Each entry tolerates exactly its case in
/// the fuzz runs (counted and printed as "known defects hit"); the lead deletes an entry when its branch merges, and
/// the fuzz tests then hold the fix in place. Nothing else may be added here.
/// </summary>
public static class KnownDefects
{
    public static readonly KnownDefect[] All =
    [
        new("issue 12 #1, NUL in a tenant path → 500 (fixed on feature/harden)",
            r => r.Target.StartsWith("/t/", StringComparison.Ordinal) && r.Target.Contains("%2500", StringComparison.Ordinal),
            e => e.Exception is InvalidOperationException && e.Exception.Message.Contains("null characters", StringComparison.Ordinal)),
    ];
}
