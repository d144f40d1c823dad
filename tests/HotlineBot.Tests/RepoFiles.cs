namespace HotlineBot.Tests;

/// <summary>Files of the repository itself, found by walking up to the solution file.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string TestData(params string[] parts) => System.IO.Path.Combine([AppContext.BaseDirectory, "testdata", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "HotlineBot.sln"))) return dir.FullName;
        throw new InvalidOperationException("HotlineBot.sln not found above " + AppContext.BaseDirectory);
    }
}
