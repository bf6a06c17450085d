using System.Collections.Concurrent;
using Hangfire.Common;

namespace AspService.Server.Jobs;

/// <summary>
/// Hangfire stores a job's type by name. The job classes once lived in <c>AspService.Server.Jobs.Work</c> and now live
/// in their features' folders; a job queued (or retrying) under an old name is resolved to the class of the same name
/// in this assembly, so an upgrade never strands queued work.
/// </summary>
public static class JobTypeAliases
{
    public const string FormerNamespace = "AspService.Server.Jobs.Work.";

    private static readonly ConcurrentDictionary<string, Type?> Moved = new(StringComparer.Ordinal);

    public static Type Resolve(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        if (typeName.StartsWith(FormerNamespace, StringComparison.Ordinal)
            && Moved.GetOrAdd(typeName, Find) is { } moved)
        {
            return moved;
        }

        return TypeHelper.DefaultTypeResolver(typeName);
    }

    private static Type? Find(string typeName)
    {
        // "AspService.Server.Jobs.Work.MonthlyCloseJob, AspService.Server, Version=…": the simple name is between the two.
        var comma = typeName.IndexOf(',', StringComparison.Ordinal);
        var simple = (comma < 0 ? typeName : typeName[..comma])[FormerNamespace.Length..];
        if (Type.GetType(comma < 0 ? typeName : typeName[..comma]) is { } unmoved)
        {
            return unmoved;
        }

        var matches = typeof(JobTypeAliases).Assembly.GetTypes()
            .Where(t => t.Name == simple && t.IsClass && t.Namespace?.StartsWith("AspService.Server.", StringComparison.Ordinal) == true).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }
}
