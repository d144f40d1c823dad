using System.Data.Common;
using Hangfire;
using HotlineBot.Channels;
using HotlineBot.Storage;

namespace HotlineBot.Webhooks;

/// <summary>
/// Applies a provider's delivery report to the message it is about. Reports arrive late, twice and out of order, so a
/// status only ever moves forward (sent → delivered → read; undelivered and failed end it). A report of an opt-out
/// (Twilio 21610) opts the contact out. A WhatsApp message refused later because its 24-hour window was closed (Twilio
/// 63016, Meta 131047: both may come back in a status callback after the send was accepted; the channel reads the code
/// with its error table) goes again, once,
/// as the kind's template or by SMS — the same way as when the send itself was refused.
/// </summary>
public sealed class DeliveryReports(Database database, MessageStore messages, ContactStore contacts, IBackgroundJobClient jobs, TimeProvider time, Dashboard.LiveUpdates live)
{
    private static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal)
    {
        ["queued"] = 0, ["sending"] = 1, ["accepted"] = 1, ["sent"] = 2, ["delivered"] = 3, ["undelivered"] = 4, ["failed"] = 4, ["read"] = 5,
    };

    /// <summary>True when the report changed something; false when it was stale, a repeat, or about no message of ours.</summary>
    public async Task<bool> ApplyAsync(StatusReceived report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (changed, requeued) = await database.WriteAsync(async tx =>
        {
            if (await messages.FindReportedAsync(tx, report.ProviderMessageId, report.OurMessageId) is not { } seen
                || !Rank.TryGetValue(report.Status, out var next)) return (false, (long?)null);
            // Decided under the message's row lock: two reports at once (delivered, read) never move it backwards.
            await messages.LockAsync(tx, seen.Id);
            var found = await messages.FindReportedAsync(tx, report.ProviderMessageId, report.OurMessageId) ?? seen;
            // About an earlier attempt of a message that went again (window closed): that attempt's fate is known.
            if (found.OutsideWindow && (found.Status is "queued" or "sending" || found.ProviderMessageId != report.ProviderMessageId)) return (false, null);
            var current = Rank.GetValueOrDefault(found.Status, -1);
            if (next <= current && !(current == 4 && next == 5)) return (false, null);
            var error = report.ErrorCode is { } code ? $"error {code}" : null;
            if (next == 4 && report.Meaning == SendResult.WindowClosed && !found.OutsideWindow && found.Address.StartsWith("whatsapp:", StringComparison.Ordinal))
            {
                await messages.RequeueOutsideWindowAsync(tx, found.Id, error, time.GetUtcNow().ToUnixTimeMilliseconds());
                return (true, found.Id);
            }
            await messages.MarkReportedAsync(tx, found.Id, report.Status, report.ProviderMessageId, error);
            if (report.Meaning == SendResult.OptedOut) await contacts.SetOptedOutByAddressAsync(tx, found.Address, true);
            return (true, null);
        }, ct);
        if (changed) live.Publish();
        if (requeued is { } id) jobs.Enqueue<Jobs.DeliverMessageJob>(j => j.RunAsync(id, CancellationToken.None));
        return changed;
    }
}
