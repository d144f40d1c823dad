using HotlineBot.Cases;
using HotlineBot.Core.Cases;
using HotlineBot.Storage;
using Hangfire;

namespace HotlineBot.Jobs;

/// <summary>
/// SLA escalation (<c>Sla:AcceptWithin</c>, <c>ArriveWithin</c>, <c>ResolveWithin</c>). A case nobody accepted in time
/// is offered to the next partners and the duty officers are told; one accepted but not reached, or not resolved, in
/// time goes to the officers. Each breach is a case event and happens once. Deadlines live in the cases table: this runs
/// every minute, at start-up, and at each deadline (scheduled when the deadline is set), so nothing depends on memory.
/// </summary>
public sealed class EscalateOverdueCasesJob(Database database, CaseStore cases, CaseEffects effects, OutboxDispatcher outbox, TimeProvider time, Dashboard.LiveUpdates live)
{
    private const int Batch = 200;

    /// <summary>Every case overdue now, a batch per transaction, until none is left (a flood's deadlines share one run).</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var (found, count, queued) = await database.WriteAsync(async tx =>
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                var overdue = await cases.FindOverdueAsync(tx, now, Batch);
                var queued = new List<QueuedMessage>();
                var breached = 0;
                foreach (var due in overdue)
                {
                    // Claimed first, under the case's lock: another instance's job that found it too skips it.
                    if (!await cases.ClaimDeadlineAsync(tx, due.Id, due.Deadline, now)) continue;
                    breached++;
                    queued.AddRange((await effects.DecideAsync(tx, await cases.GetStateAsync(tx, due.Id), new DeadlinePassed(due.Deadline), now)).Queued);
                }
                return (overdue.Count, breached, queued);
            }, ct);
            foreach (var message in queued) outbox.Post(message);
            total += count;
            // A full batch may have left more behind; one that claimed nothing means others are taking them.
            if (found < Batch || count == 0) break;
        }
        if (total > 0) live.Publish();
        return total;
    }
}
