using HotlineBot.Commands;

namespace HotlineBot.Dashboard;

/// <summary>
/// The first start has no dashboard user: once the server is listening (not before: a start that fails on a taken port
/// must not leave an admin whose password nobody saw), user <c>admin</c> is created. Its password never goes to a log:
/// on an interactive terminal it is shown there once; otherwise (systemd, Docker, a redirect into a file) it is written
/// to <c>data/first-admin-password.txt</c>, readable by the service's user only, and just that path is printed.
/// </summary>
public sealed partial class FirstAdmin(Officers officers, IHostEnvironment environment, ILogger<FirstAdmin> logger) : IHostedLifecycleService
{
    public const string FileName = "first-admin-password.txt";

    /// <summary>Where the password goes when no one is at a terminal; tests point it at a file.</summary>
    public static Func<bool> Interactive { get; set; } = () => !Console.IsOutputRedirected;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (Interactive())
        {
            await UsersCommand.EnsureFirstAdminAsync(officers, Console.Out, cancellationToken);
            return;
        }
        using var text = new StringWriter();
        await UsersCommand.EnsureFirstAdminAsync(officers, text, cancellationToken);
        if (text.GetStringBuilder().Length == 0) return;
        var folder = Path.Combine(environment.ContentRootPath, "data");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var file = new StreamWriter(path, System.Text.Encoding.UTF8, options)) await file.WriteAsync(text.ToString());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        LogWritten(logger, path);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created dashboard user 'admin'; its password is in {Path} (readable by this user only): sign in, change it on /akun, then delete the file")]
    private static partial void LogWritten(ILogger logger, string path);
}
