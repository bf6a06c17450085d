namespace AspService.Tests.Infrastructure;

/// <summary>The repository checkout the tests run from (the folder holding AspService.sln).</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AspService.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AspService.sln not found above " + AppContext.BaseDirectory);
    }
}
