namespace HotlineBot.Core.Tests;

/// <summary>Files of the repository itself (the shipped flows), found by walking up to the solution file.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "HotlineBot.sln"))) return dir.FullName;
        throw new InvalidOperationException("HotlineBot.sln not found above " + AppContext.BaseDirectory);
    }
}
