using System.Data.Common;
using Dapper;
using Hangfire;
using HotlineBot.Channels;
using HotlineBot.Storage;

namespace HotlineBot.Webhooks;

/// <summary>
/// Applies a provider's delivery report to the message it is about. Reports arrive late, twice and out of order, so a
/// status only ever moves forward (sent → delivered → read; undelivered and failed end it). A report of an opt-out
/// (Twilio 21610) opts the contact out. A WhatsApp message refused later because its 24-hour window was closed (Twilio
/// 63016, Meta 131047, which both may come back in a status callback after the send was accepted) goes again, once,
/// as the kind's template or by SMS — the same way as when the send itself was refused.
/// </summary>
public sealed class DeliveryReports(Database database, ContactStore contacts, IBackgroundJobClient jobs, TimeProvider time)
{
    private static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal)
    {
        ["queued"] = 0, ["sending"] = 1, ["accepted"] = 1, ["sent"] = 2, ["delivered"] = 3, ["undelivered"] = 4, ["failed"] = 4, ["read"] = 5,
    };

    private const string SqlFind = """
        SELECT m.id AS Id, m.status AS Status, c.address AS Address, m.outside_window AS OutsideWindow,
               m.provider_message_id AS Sid FROM messages m JOIN contacts c ON c.id = m.contact_id
        WHERE m.direction = 'out' AND (m.provider_message_id = @Sid OR m.id = @Ours)
        ORDER BY (m.provider_message_id = @Sid) DESC LIMIT 1
        """;
    private const string SqlUpdate = """
        UPDATE messages SET status = @Status, provider_message_id = coalesce(provider_message_id, @Sid),
            last_error = coalesce(@Error, last_error)
        WHERE id = @Id
        """;
    private const string SqlRequeueOutsideWindow = """
        UPDATE messages SET status = 'queued', outside_window = 1, last_error = @Error, due_at = @Now WHERE id = @Id
        """;

    /// <summary>True when the report changed something; false when it was stale, a repeat, or about no message of ours.</summary>
    public async Task<bool> ApplyAsync(StatusReceived report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (changed, requeued) = await database.WriteAsync(async tx =>
        {
            var row = await tx.Connection!.QuerySingleOrDefaultAsync<(long Id, string Status, string Address, bool OutsideWindow, string? Sid)?>(SqlFind,
                new { Sid = report.ProviderMessageId, Ours = report.OurMessageId ?? -1 }, tx);
            if (row is not { } found || !Rank.TryGetValue(report.Status, out var next)) return (false, (long?)null);
            // About an earlier attempt of a message that went again (window closed): that attempt's fate is known.
            if (found.OutsideWindow && (found.Status is "queued" or "sending" || found.Sid != report.ProviderMessageId)) return (false, null);
            var current = Rank.GetValueOrDefault(found.Status, -1);
            if (next <= current && !(current == 4 && next == 5)) return (false, null);
            var error = report.ErrorCode is { } code ? $"error {code}" : null;
            if (next == 4 && report.ErrorCode is 63016 or 131047 && !found.OutsideWindow && found.Address.StartsWith("whatsapp:", StringComparison.Ordinal))
            {
                await tx.Connection!.ExecuteAsync(SqlRequeueOutsideWindow, new { found.Id, Error = error, Now = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
                return (true, found.Id);
            }
            await tx.Connection!.ExecuteAsync(SqlUpdate, new { Id = found.Id, Status = report.Status, Sid = report.ProviderMessageId, Error = error }, tx);
            if (report.ErrorCode == 21610) await contacts.SetOptedOutByAddressAsync(tx, found.Address, true);
            return (true, null);
        }, ct);
        if (requeued is { } id) jobs.Enqueue<Jobs.DeliverMessageJob>(j => j.RunAsync(id, CancellationToken.None));
        return changed;
    }
}
