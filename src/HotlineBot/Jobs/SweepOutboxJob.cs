using HotlineBot.Storage;
using Hangfire;

namespace HotlineBot.Jobs;

/// <summary>
/// Re-enqueues outbox rows that are due and not delivered: after a crash, a retry delay, or Hangfire's in-memory
/// storage losing its queue on restart. Our database, not Hangfire, says what is pending. Runs every minute and at start-up.
/// </summary>
public sealed class SweepOutboxJob(Database database, MessageStore messages, OutboxDispatcher outbox, TimeProvider time,
    Metrics.HotlineMetrics metrics)
{
    public async Task<IReadOnlyList<long>> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var (due, rescued) = await database.WriteAsync(async tx =>
        {
            // Shared pacing (PostgreSQL): contacts whose gap ended an hour ago are forgotten.
            if (database is PostgresDatabase) await Channels.DatabasePacer.PruneAsync(tx, now - 3_600_000);
            return await messages.FindDueQueuedAsync(tx, now, 1000);
        }, ct);
        foreach (var message in due) outbox.Post(message);
        metrics.SweepRescued(rescued);
        return due.Select(m => m.Id).ToList();
    }
}
