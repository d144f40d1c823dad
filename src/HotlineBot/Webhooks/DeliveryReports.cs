using System.Data.Common;
using Dapper;
using HotlineBot.Channels;
using HotlineBot.Storage;

namespace HotlineBot.Webhooks;

/// <summary>
/// Applies a provider's delivery report to the message it is about. Reports arrive late, twice and out of order, so a
/// status only ever moves forward (sent → delivered → read; undelivered and failed end it). A report of an opt-out
/// (Twilio 21610) opts the contact out.
/// </summary>
public sealed class DeliveryReports(Database database, ContactStore contacts)
{
    private static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal)
    {
        ["queued"] = 0, ["sending"] = 1, ["accepted"] = 1, ["sent"] = 2, ["delivered"] = 3, ["undelivered"] = 4, ["failed"] = 4, ["read"] = 5,
    };

    private const string SqlFind = """
        SELECT m.id AS Id, m.status AS Status, c.address AS Address FROM messages m JOIN contacts c ON c.id = m.contact_id
        WHERE m.direction = 'out' AND (m.provider_message_id = @Sid OR m.id = @Ours)
        ORDER BY (m.provider_message_id = @Sid) DESC LIMIT 1
        """;
    private const string SqlUpdate = """
        UPDATE messages SET status = @Status, provider_message_id = coalesce(provider_message_id, @Sid),
            last_error = coalesce(@Error, last_error)
        WHERE id = @Id
        """;

    /// <summary>True when the report changed something; false when it was stale, a repeat, or about no message of ours.</summary>
    public Task<bool> ApplyAsync(StatusReceived report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        return database.WriteAsync(async tx =>
        {
            var row = await tx.Connection!.QuerySingleOrDefaultAsync<(long Id, string Status, string Address)?>(SqlFind,
                new { Sid = report.ProviderMessageId, Ours = report.OurMessageId ?? -1 }, tx);
            if (row is not { } found || !Rank.TryGetValue(report.Status, out var next)) return false;
            var current = Rank.GetValueOrDefault(found.Status, -1);
            if (next <= current && !(current == 4 && next == 5)) return false;
            var error = report.ErrorCode is { } code ? $"twilio {code}" : null;
            await tx.Connection!.ExecuteAsync(SqlUpdate, new { Id = found.Id, Status = report.Status, Sid = report.ProviderMessageId, Error = error }, tx);
            if (report.ErrorCode == 21610) await contacts.SetOptedOutByAddressAsync(tx, found.Address, true);
            return true;
        }, ct);
    }
}
