using HotlineBot.Storage;
using Hangfire;

namespace HotlineBot.Jobs;

/// <summary>
/// After a crash (SIGKILL, a power cut) some outbox rows are left <c>sending</c> under a lease. Once this instance is
/// listening — which a second start on the same port never gets to — the rows it was sending itself (its
/// <c>Hotline:InstanceId</c>; on SQLite, one process, all of them) go back to the queue at once and the sweep sends
/// them, instead of waiting out the lease. Another live instance's rows are never taken.
/// </summary>
public sealed class InterruptedSends(Database database, MessageStore messages, IBackgroundJobClient jobs, TimeProvider time,
    Configuration.Instance instance) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var requeued = await database.WriteAsync(tx => messages.RequeueInterruptedAsync(tx, time.GetUtcNow().ToUnixTimeMilliseconds(),
            instance.Id, all: database is SqliteDatabase), cancellationToken);
        if (requeued > 0) jobs.Enqueue<SweepOutboxJob>(j => j.RunAsync(CancellationToken.None));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
