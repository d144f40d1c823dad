using HotlineBot.Storage;
using Hangfire;

namespace HotlineBot.Jobs;

/// <summary>
/// Re-enqueues outbox rows that are due and not delivered: after a crash, a retry delay, or Hangfire's in-memory
/// storage losing its queue on restart. Our database, not Hangfire, says what is pending. Runs every minute and at start-up.
/// </summary>
public sealed class SweepOutboxJob(Database database, MessageStore messages, IBackgroundJobClient jobs, TimeProvider time,
    Metrics.HotlineMetrics metrics)
{
    public async Task<IReadOnlyList<long>> RunAsync(CancellationToken ct)
    {
        var (due, rescued) = await database.WriteAsync(tx => messages.FindDueQueuedAsync(tx, time.GetUtcNow().ToUnixTimeMilliseconds(), 1000), ct);
        foreach (var id in due) jobs.Enqueue<DeliverMessageJob>(j => j.RunAsync(id, CancellationToken.None));
        metrics.SweepRescued(rescued);
        return due;
    }
}
