using HotlineBot.Storage;
using Hangfire;

namespace HotlineBot.Jobs;

/// <summary>
/// After a crash (SIGKILL, a power cut) some outbox rows are left <c>sending</c> under a lease. On SQLite one process
/// owns the database, so once this one is listening — which a second start on the same port never gets to — none of
/// them is being sent: they go back to the queue at once and the sweep sends them, instead of waiting out the lease.
/// </summary>
public sealed class InterruptedSends(Database database, MessageStore messages, IBackgroundJobClient jobs, TimeProvider time) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var requeued = await database.WriteAsync(tx => messages.RequeueInterruptedAsync(tx, time.GetUtcNow().ToUnixTimeMilliseconds()), cancellationToken);
        if (requeued > 0) jobs.Enqueue<SweepOutboxJob>(j => j.RunAsync(CancellationToken.None));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
