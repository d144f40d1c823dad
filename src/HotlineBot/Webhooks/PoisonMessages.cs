using HotlineBot.Channels;
using HotlineBot.Storage;
using Hangfire;

namespace HotlineBot.Webhooks;

/// <summary>
/// A webhook item whose processing failed. Counted per provider id; parked after <see cref="InboundFailureStore.ParkAfter"/>
/// failures when the provider retries webhooks, at once when it does not (Twilio): parked, it is acknowledged, the
/// sender is asked to send it again as text (inline, or through the outbox), and the officers see it on the message
/// queue page. Until then the provider gets 503 and retries — never a loop, never an unanswered citizen.
/// </summary>
public sealed partial class PoisonMessages(Database database, InboundFailureStore failures, ContactStore contacts, MessageStore messages,
    IBackgroundJobClient jobs, TimeProvider time, ILogger<PoisonMessages> logger, Core.Dialogs.DialogEngine engine,
    Microsoft.Extensions.Options.IOptions<Configuration.HotlineOptions> hotline)
{
    /// <summary>What a citizen hears when their message was parked: <c>messages.unreadable</c> of the flow files
    /// (vocabulary.yaml), in Bahasa Indonesia and English — the sender's language is not known when nothing could be
    /// read. No promise an officer would have to keep, just what to do next.</summary>
    public string Apology()
    {
        var texts = engine.Flows.Find(hotline.Value.DefaultFlow)?.Message("unreadable") ?? [];
        return texts.Count == 0 ? "" : $"{texts.In("id")} / {texts.In("en")}";
    }

    /// <param name="item">As the webhook edge passed it on: already without NUL characters.</param>
    /// <returns>True when the item is parked (acknowledge it); false when the provider should retry — also when the
    /// failure could not even be counted (the database is down).</returns>
    public async Task<bool> FailedAsync(IChannel channel, WebhookOutcome item, Exception exception, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var (key, address, body) = item switch
        {
            MessageReceived r => (r.Message.ProviderMessageId, r.Message.ContactAddress, r.Message.Text),
            StatusReceived r => ($"status:{r.ProviderMessageId}:{r.Status}", "", ""),
            _ => ("", "", ""),
        };
        LogFailed(logger, exception, channel.Provider, LogText.Clean(key));
        if (key.Length == 0) return false;
        var parkAfter = channel.RetriesWebhooks ? InboundFailureStore.ParkAfter : 1;
        try
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var error = Core.Indonesia.NikRedactor.Redact($"{exception.GetType().Name}: {exception.Message}");
            var count = await failures.RecordAsync(channel.Provider, key, address, body, error, now, parkAfter, ct);
            if (!count.Parked) return false;
            if (count.Attempts == parkAfter)
            {
                LogParked(logger, channel.Provider, LogText.Clean(key), parkAfter);
                if (item is MessageReceived received && !channel.RepliesInline && Apology() is { Length: > 0 } apology)
                    await ApologizeAsync(received.Message, apology, now, ct);
            }
            return true;
        }
        catch (Exception recording) when (recording is not OperationCanceledException)
        {
            LogNotCounted(logger, recording, channel.Provider);
            return false;
        }
    }

    /// <summary>For a provider whose webhook cannot carry a reply, the apology goes through the outbox.</summary>
    private async Task ApologizeAsync(InboundMessage message, string apology, long now, CancellationToken ct)
    {
        var (id, _) = await database.WriteAsync(async tx =>
        {
            var contact = await contacts.UpsertInboundAsync(tx, message.ContactAddress, message.Channel, now, message.ExternalUserId);
            return await messages.InsertQueuedAsync(tx, contact.Id, message.Provider, apology, now);
        }, ct);
        jobs.Enqueue<Jobs.DeliverMessageJob>(j => j.RunAsync(id, CancellationToken.None));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not process {Provider} message {MessageId}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string provider, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} message {MessageId} failed {Times} time(s) and is parked for the duty officers (message queue page)")]
    private static partial void LogParked(ILogger logger, string provider, string messageId, int times);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not count a failed {Provider} item; answered 503 so the provider retries")]
    private static partial void LogNotCounted(ILogger logger, Exception exception, string provider);
}
