namespace HotlineBot.Dashboard;

/// <summary>
/// The dashboard's scripts and styles are served from the web root: <c>wwwroot</c> in the folder the service was
/// published to, found through the folder it is started from (deploy/README.md's <c>WorkingDirectory</c>). Started from
/// another folder, every one of them is answered empty, and the officers' pages show but never go live (no queue that
/// moves, no button that works). Said once at start, with the fix; webhooks are not affected.
/// </summary>
public static partial class DashboardFiles
{
    /// <summary>A file every publish has in its web root.</summary>
    public const string Probe = "dashboard.css";

    /// <summary>False, and a warning logged, when the web root lacks the dashboard's files (Development serves them from
    /// the project instead).</summary>
    public static bool Check(IWebHostEnvironment environment, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.IsDevelopment() || environment.WebRootFileProvider.GetFileInfo(Probe).Exists) return true;
        LogMissing(logger, environment.WebRootPath ?? Path.Combine(environment.ContentRootPath, "wwwroot"));
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dashboard's files are not in {WebRoot}: its pages will not work. Start the service from the folder it was published to (WorkingDirectory in deploy/hotlinebot.service), or set ASPNETCORE_WEBROOT to that folder's wwwroot")]
    private static partial void LogMissing(ILogger logger, string webRoot);
}
