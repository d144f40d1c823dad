using HotlineBot.Commands;

namespace HotlineBot.Dashboard;

/// <summary>
/// The first start has no dashboard user: once the server is listening (not before: a start that fails on a taken port
/// must not leave an admin whose password nobody saw), user <c>admin</c> is created. Its password never goes to a log:
/// on an interactive terminal it is shown there once; otherwise (systemd, a redirect into a file) it is written to
/// <c>data/first-admin-password.txt</c>, created readable by the service's user only, and just that path is logged.
/// The password is kept before the user is created, so a failure to write it leaves no admin behind.
/// </summary>
public sealed partial class FirstAdmin(Officers officers, IHostEnvironment environment, ILogger<FirstAdmin> logger) : IHostedLifecycleService
{
    public const string FileName = "first-admin-password.txt";

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!Console.IsOutputRedirected)
        {
            await UsersCommand.EnsureFirstAdminAsync(officers, text => Console.Out.WriteAsync(text), () => Task.CompletedTask, cancellationToken);
            return;
        }
        var folder = Path.Combine(environment.ContentRootPath, "data");
        var path = Path.Combine(folder, FileName);
        var created = await UsersCommand.EnsureFirstAdminAsync(officers, async text =>
        {
            Directory.CreateDirectory(folder);
            File.Delete(path);      // an older file may have looser rights: this one is created 0600
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using var file = new StreamWriter(path, System.Text.Encoding.UTF8, options);
            await file.WriteAsync(text);
        }, () => { File.Delete(path); return Task.CompletedTask; }, cancellationToken);
        if (created) LogWritten(logger, path);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created dashboard user 'admin'; its password is in {Path} (readable by this user only): sign in, change it on /akun, then delete the file")]
    private static partial void LogWritten(ILogger logger, string path);
}
