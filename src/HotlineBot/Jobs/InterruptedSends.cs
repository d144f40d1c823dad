using HotlineBot.Storage;
using Hangfire;

namespace HotlineBot.Jobs;

/// <summary>
/// After a crash (SIGKILL, a power cut) some outbox rows are left <c>sending</c> under a lease. Once this instance is
/// listening — which a second start on the same port never gets to — the rows it was sending itself (its
/// <c>Hotline:InstanceId</c>; on SQLite, one process, all of them) go back to the queue at once and the sweep sends
/// them, instead of waiting out the lease. Another live instance's rows are never taken.
/// </summary>
public sealed partial class InterruptedSends(Database database, MessageStore messages, IBackgroundJobClient jobs, TimeProvider time,
    Configuration.Instance instance, ILogger<InterruptedSends> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private System.Data.Common.DbConnection? _name;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        // On PostgreSQL the instance's name is held (a session advisory lock, for as long as this process lives): a second
        // instance started with the same Hotline:InstanceId would take back this one's messages, so it is refused.
        if (database is PostgresDatabase)
        {
            _name = await database.OpenAsync(cancellationToken);
            if (!await Dapper.SqlMapper.ExecuteScalarAsync<bool>(_name, "SELECT pg_try_advisory_lock(hashtext('hotline-instance:' || @Id))", new { instance.Id }))
                throw new Configuration.SettingException($"Another instance runs with Hotline:InstanceId={instance.Id}; give each instance its own (Hotline__InstanceId).");
        }
        var requeued = await database.WriteAsync(tx => messages.RequeueInterruptedAsync(tx, time.GetUtcNow().ToUnixTimeMilliseconds(),
            instance.Id, instance.Claim, all: database is SqliteDatabase), cancellationToken);
        if (requeued > 0) jobs.Enqueue<SweepOutboxJob>(j => j.RunAsync(CancellationToken.None));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Lets the name go: unlocked by hand, since a pooled connection's session outlives its Dispose (a crash
    /// closes the connection, and the lock with it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_name is null) return;
        try
        {
            await Dapper.SqlMapper.ExecuteAsync(_name, "SELECT pg_advisory_unlock(hashtext('hotline-instance:' || @Id))", new { instance.Id });
        }
        catch (System.Data.Common.DbException e)
        {
            // The database went away first: the lock went with the connection.
            LogUnlockFailed(logger, e);
        }
        finally
        {
            await _name.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not release the instance name at shutdown; it goes with the connection")]
    private static partial void LogUnlockFailed(ILogger logger, Exception exception);
}
