
using HotlineBot.Channels;
using HotlineBot.Storage;

namespace HotlineBot.Jobs;

/// <summary>
/// Sends one outbox message through its channel and records the outcome. Reentrant (Hangfire may run it twice): only
/// the job that claims the queued row sends. Transient failures and throttling go back to the queue with backoff and
/// jitter, honouring Retry-After; permanent ones and opted-out contacts are never retried.
/// Messages to one contact leave in order: a job whose message has an older one still queued leaves it, and every job
/// that is done with its message hands over to the contact's next one at once, or schedules it for when it is due
/// (its pacing slot, its retry). The minutely sweep only rescues what a crash left behind.
/// </summary>
public sealed partial class DeliverMessageJob(Database database, MessageStore messages, ContactStore contacts, ChannelRegistry channels,
    Microsoft.Extensions.Options.IOptions<WhatsAppWindowOptions> window, Microsoft.Extensions.Options.IOptions<ChannelFallbackOptions> fallback, IPacer pacer, TimeProvider time, ILogger<DeliverMessageJob> logger, Dashboard.LiveUpdates live,
    OutboxDispatcher outbox, Metrics.HotlineMetrics metrics, Configuration.Instance instance)
{
    public const int MaxAttempts = 8;
    private static readonly TimeSpan MaxPacingWait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public async Task RunAsync(long id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ms = now.ToUnixTimeMilliseconds();
        IReadOnlyList<DueRow> next = [];
        // In a flood most jobs find their message waiting behind an earlier one to the same contact: on SQLite a read says
        // so without taking the one writer. On PostgreSQL the claim's own transaction reads the same: a message that is
        // ready saves the read's connection and round trip, one that waits costs the transaction's commit instead of a
        // plain read (fewer statements per webhook in all, tools/README.md). Should the earlier one finish meanwhile, its
        // hand-over (in the same transaction that records it) already saw this row queued and gives it a job.
        if (database.OneWriter)
        {
            await using var connection = await database.OpenAsync(ct);
            if (NotReady(await messages.FindOutgoingAsync(connection, id, ms), ms) is { } not)
            {
                metrics.OutboxRun(not);
                return;
            }
        }
        // Done, taken, not due yet (the job scheduled for then takes it), or waiting its turn behind an earlier message
        // to the same contact (that one hands over when it is done): nothing to do here. Else the claim, the way it goes
        // (its channel, and outside WhatsApp's window a template or SMS) and its pacing slot, in one transaction: a send
        // waiting for a slot holds no claim that a crash would leave behind, and on PostgreSQL, where the slots are rows
        // shared by every instance, a send is two transactions, not three.
        var found = "ready";
        IChannel channel = null!;
        OutboundMessage outbound = null!;
        bool whatsApp = false, closed = false;
        (IChannel Channel, OutboundMessage Message)? instead = null;
        var wait = TimeSpan.Zero;
        var slot = now;
        var row = await database.WriteAsync(async tx =>
        {
            // From the start each time: PostgreSQL runs a transaction it picked to break a deadlock again.
            found = "ready";
            next = [];
            (wait, slot, instead, closed) = (TimeSpan.Zero, now, null, false);
            var outgoing = await messages.FindOutgoingAsync(tx, id, ms);
            if (NotReady(outgoing, ms) is { } not)
            {
                found = not;
                return null;
            }
            if (outgoing!.OptedOut)
            {
                found = "opted_out";
                await messages.MarkFailedAsync(tx, id, "suppressed", "contact opted out");
                next = await messages.NextOfContactAsync(tx, id, ms);
                return null;
            }
            if (!await messages.ClaimAsync(tx, id, ms, (now + Lease).ToUnixTimeMilliseconds(), instance.Claim))
            {
                found = "done";
                return null;
            }
            outbound = new OutboundMessage(outgoing.Id, outgoing.ContactAddress, outgoing.Body)
            {
                Options = outgoing.Options is { } json ? System.Text.Json.JsonSerializer.Deserialize(json, DialogJson.Readable.IReadOnlyListString) ?? [] : [],
            };
            channel = channels.ForProvider(outgoing.Provider);
            whatsApp = outgoing.ContactAddress.StartsWith("whatsapp:", StringComparison.Ordinal);
            closed = whatsApp && (outgoing.OutsideWindow || outgoing.LastInboundAt is not { } last || ms - last > (long)WhatsAppWindowOptions.Window.TotalMilliseconds);
            instead = closed ? OutsideWindow(outgoing, outbound) : null;
            if (closed && instead is null) return outgoing;     // refused below: nothing leaves, so no slot
            if (instead is { } way) (channel, outbound) = way;
            // Pacing: a short wait after the commit; a long one sends the row back to the queue for its slot.
            var units = outbound.ContactAddress.StartsWith("tel:", StringComparison.Ordinal) ? Core.Sms.SmsSegments.Count(Core.Sms.SmsText.Sanitize(outbound.Body)) : 1;
            var asked = time.GetUtcNow();
            wait = await pacer.ReserveAsync(tx, channel.Provider, outbound.ContactAddress, units, asked, MaxPacingWait);
            slot = asked + wait;
            if (wait <= MaxPacingWait) return outgoing;
            found = "paced";
            await messages.MarkDeferredAsync(tx, id, "paced", (time.GetUtcNow() + wait).ToUnixTimeMilliseconds());
            next = await messages.NextOfContactAsync(tx, id, time.GetUtcNow().ToUnixTimeMilliseconds());
            return null;
        }, ct);
        metrics.OutboxRun(found);
        if (row is null)
        {
            HandOver(next);
            return;
        }

        var sentAt = now;
        SendOutcome outcome;
        if (closed && instead is null)
        {
            outcome = new SendOutcome(SendResult.Permanent, Error: $"outside the WhatsApp 24-hour window and no template for '{row.Kind}'");
        }
        else
        {
            // Until the slot itself, not for the wait from before the commit: a slow commit must not push this send
            // closer to the next one.
            if (slot - time.GetUtcNow() is var left && left > TimeSpan.Zero) await Task.Delay(left, time, ct);
            sentAt = time.GetUtcNow();   // when it left: what pacing is measured by
            outcome = await channel.SendAsync(outbound, ct);
            if (outcome.Result == SendResult.Throttled)
                await pacer.ThrottledAsync(channel.Provider, time.GetUtcNow() + (outcome.RetryAfter ?? TimeSpan.FromSeconds(5)));
            // WhatsApp says the window is closed (the contact's last message was elsewhere, or clocks differ): same way out.
            if (outcome.Result == SendResult.WindowClosed && whatsApp && !closed && OutsideWindow(row, outbound) is { } retry)
                outcome = await retry.Channel.SendAsync(retry.Message, ct);
            // The provider is down (circuit open, or failing again): the configured fallbacks in order, while one gets it out now.
            if (outcome.Result == SendResult.Transient && (!outcome.Attempted || row.Attempts + 1 >= fallback.Value.FallbackAfterAttempts))
            {
                foreach (var target in fallback.Value.For(channel.Provider))
                {
                    if (Fallback(channel, target, outbound) is not { } other) continue;
                    var second = await other.Channel.SendAsync(other.Message, ct);
                    if (second.Result == SendResult.Sent)
                    {
                        outcome = second;
                        break;
                    }
                    LogFallbackFailed(logger, id, other.Channel.Provider, second.Result.ToString());
                }
            }
        }
        var after = time.GetUtcNow();
        var failed = false;
        await database.WriteAsync<int>(async tx =>
        {
            failed = false;     // from the start each time: the write may run again (Database.WriteAsync)
            switch (outcome.Result)
            {
                case SendResult.Sent:
                    await messages.MarkSentAsync(tx, id, outcome.ProviderMessageId, sentAt.ToUnixTimeMilliseconds());
                    break;
                case SendResult.Transient when !outcome.Attempted:
                    await messages.MarkDeferredAsync(tx, id, outcome.Error ?? "deferred", (after + (outcome.RetryAfter ?? TimeSpan.FromSeconds(30))).ToUnixTimeMilliseconds());
                    break;
                case SendResult.Throttled or SendResult.Transient when row.Attempts + 1 < MaxAttempts:
                    var retryAt = after + (outcome.RetryAfter ?? Backoff((int)row.Attempts + 1));
                    await messages.MarkRetryAsync(tx, id, outcome.Error ?? outcome.Result.ToString(), retryAt.ToUnixTimeMilliseconds());
                    break;
                case SendResult.OptedOut:
                    await messages.MarkFailedAsync(tx, id, "suppressed", outcome.Error ?? "opted out");
                    await contacts.SetOptedOutByAddressAsync(tx, row.ContactAddress, true);
                    break;
                default:
                    await messages.MarkFailedAsync(tx, id, "failed", outcome.Error ?? outcome.Result.ToString());
                    failed = true;
                    break;
            }
            next = await messages.NextOfContactAsync(tx, id, after.ToUnixTimeMilliseconds());
            return 0;
        }, CancellationToken.None);   // the send happened: its outcome is recorded even when the server is stopping
        if (failed) LogFailed(logger, id, outcome.Result.ToString());
        HandOver(next);
        if (outcome.Result == SendResult.Sent && row.Kind == "partner_notification" && row.CaseCreatedAt is { } created)
            metrics.NotificationLeft(sentAt - DateTimeOffset.FromUnixTimeMilliseconds(created));
        else if (outcome.Result != SendResult.Sent && outcome.Attempted && !(closed && instead is null))
            metrics.ProviderError(channel.Provider, outcome.Result.ToString(), Dashboard.ErrorMeanings.Code(outcome.Error));
        live.Publish();
    }

    /// <summary>Why a run leaves its message alone, as <see cref="Metrics.HotlineMetrics.OutboxRun"/> counts it: no longer
    /// queued (sent, failed, or taken by another run), waiting behind an earlier message to the same contact (that one
    /// hands over when it is done), or not due yet (the run scheduled for then takes it); null when it is to be sent.</summary>
    private static string? NotReady(OutgoingRow? row, long now) => row switch
    {
        not { Status: "queued" } => "done",
        { EarlierQueued: > 0 } => "waiting",
        { DueAt: { } due } when due > now => "not_due",
        _ => null,
    };

    /// <summary>Done with a message for now, and committed: the contact's next message, and this one when it is back in
    /// the queue, get their jobs now or at the time they are due. Were a job lost (a crash), the sweep finds the row.</summary>
    private void HandOver(IReadOnlyList<DueRow> rows)
    {
        foreach (var next in rows)
        {
            var wait = TimeSpan.FromMilliseconds((next.DueAt ?? 0) - time.GetUtcNow().ToUnixTimeMilliseconds());
            // Ahead of messages made meanwhile: this contact's line moves at the pace it is set to, however long the
            // queue behind it.
            outbox.PostNext(new QueuedMessage(next.Id, next.ContactId), wait);
        }
    }

    /// <summary>Outside WhatsApp's window: the kind's approved template on the same channel, else the same text by SMS to
    /// the same number; null when neither is allowed (the message then fails for the officers, never goes as free text).</summary>
    private (IChannel Channel, OutboundMessage Message)? OutsideWindow(OutgoingRow row, OutboundMessage message)
    {
        if (window.Value.Templates.TryGetValue(row.Kind, out var template))
            return (channels.ForProvider(row.Provider), message with { Template = template, TemplateLanguage = window.Value.TemplateLanguage });
        if (!window.Value.SmsFallback || SmsAddress(row.ContactAddress) is not { } sms) return null;
        return (channels.ForProvider(channels.ProviderFor(sms)), message with { ContactAddress = sms });
    }

    /// <summary>The <paramref name="target"/> channel standing in for <paramref name="channel"/>, with the message addressed
    /// for it; null when it is not set up (never the simulator for a real contact) or it cannot reach the address.</summary>
    private (IChannel Channel, OutboundMessage Message)? Fallback(IChannel channel, string target, OutboundMessage message)
    {
        var address = message.ContactAddress;
        if (target == ChannelFallbackOptions.Sms)
        {
            if (address.StartsWith("tel:", StringComparison.Ordinal) || SmsAddress(address) is not { } sms) return null;
            // By SMS the text itself goes, never a WhatsApp template.
            message = message with { Template = null };
            address = sms;
            target = channels.ProviderFor(address);
        }
        // A template is named per provider (a Twilio ContentSid, a Meta template name): it cannot change WhatsApp provider.
        else if (message.Template is not null) return null;
        var reaches = target switch
        {
            "twilio" => true,
            "whatsapp-cloud" => address.StartsWith("whatsapp:", StringComparison.Ordinal),
            "android-sms" => address.StartsWith("tel:", StringComparison.Ordinal),
            _ => false,
        };
        if (!reaches || target == channel.Provider || channels.ForProvider(target) is not { } other || other.Provider != target) return null;
        return (other, message with { ContactAddress = address });
    }

    /// <summary>The same number by SMS (<c>whatsapp:+62…</c> → <c>tel:+62…</c>); null for a WhatsApp username's id.</summary>
    private static string? SmsAddress(string address)
    {
        var sms = "tel:" + address[(address.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return sms.StartsWith("tel:+", StringComparison.Ordinal) ? sms : null;
    }

    /// <summary>30 s, 2 min, 8 min, 32 min, … capped at 2 h, each ±20 % so retries after an outage do not arrive together.</summary>
    public static TimeSpan Backoff(int attempt)
    {
        var seconds = Math.Min(30 * Math.Pow(4, attempt - 1), 7200);
        return TimeSpan.FromSeconds(seconds * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Id}: the fallback channel {Provider} did not take it either ({Result})")]
    private static partial void LogFallbackFailed(ILogger logger, long id, string provider, string result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Id} was not delivered ({Result}); it is left for the duty officers")]
    private static partial void LogFailed(ILogger logger, long id, string result);
}
