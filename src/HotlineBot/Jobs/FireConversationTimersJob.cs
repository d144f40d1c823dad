using HotlineBot.Channels;
using HotlineBot.Core.Dialogs;
using HotlineBot.Storage;
using Hangfire;

namespace HotlineBot.Jobs;

/// <summary>
/// Sends idle reminders and closes expired conversations whose time has come. Due times live in the conversations
/// table, so a restart loses nothing: this runs every minute and once at start-up. Reentrant: a conversation already
/// reminded or expired is no longer due.
/// </summary>
public sealed class FireConversationTimersJob(Database database, DialogEngine engine, ConversationStore conversations,
    ContactStore contacts, MessageStore messages, OutboxDispatcher outbox, ChannelRegistry channels, TimeProvider time)
{
    private const int Batch = 200;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var fired = 0;
        while (true)
        {
            var (count, queued) = await database.WriteAsync(tx => FireAsync(tx), ct);
            foreach (var message in queued) outbox.Post(message);
            fired += count;
            if (count < Batch) return fired;
        }
    }

    private async Task<(int Count, List<QueuedMessage> Queued)> FireAsync(System.Data.Common.DbTransaction tx)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var due = await conversations.FindDueAsync(tx, now, Batch);
        var queued = new List<QueuedMessage>();
        foreach (var found in due)
        {
            await contacts.LockAsync(tx, found.ContactId);
            if (await conversations.StillDueAsync(tx, found.Id, now) is not { } row) continue;   // answered, or fired elsewhere
            if (DialogJson.Deserialize(row.State) is not { } session) continue;
            var step = row.ExpiresAt <= now ? DialogEngine.Expire(session) : engine.Remind(session);
            await conversations.UpdateAsync(tx, row.Id, ConversationRows.Of(step.Session, engine), now);
            var address = (await contacts.GetAsync(tx, row.ContactId)).Address;
            foreach (var message in step.Events.OfType<MessageCreated>())
                queued.Add(await messages.InsertQueuedAsync(tx, row.ContactId, channels.ProviderFor(address), message.Text, now, kind: "reminder"));
        }
        return (due.Count, queued);
    }
}
