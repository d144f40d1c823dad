using System.Data.Common;
using Dapper;

namespace HotlineBot.Storage;

/// <summary>Every message in and out. Bodies are stored with any NIK masked.</summary>
public sealed class MessageStore
{
    private const string SqlFindInbound = """
        SELECT id FROM messages WHERE provider = @Provider AND direction = 'in' AND provider_message_id = @ProviderMessageId
        """;

    public Task<long?> FindInboundAsync(DbTransaction tx, string provider, string providerMessageId) =>
        tx.Connection!.QuerySingleOrDefaultAsync<long?>(SqlFindInbound, new { Provider = provider, ProviderMessageId = providerMessageId }, tx);

    private const string SqlReplies = "SELECT body FROM messages WHERE in_reply_to = @InboundId AND direction = 'out' ORDER BY id";

    public async Task<IReadOnlyList<string>> RepliesToAsync(DbTransaction tx, long inboundId) =>
        (await tx.Connection!.QueryAsync<string>(SqlReplies, new { InboundId = inboundId }, tx)).AsList();

    private const string SqlInsert = """
        INSERT INTO messages (contact_id, direction, provider, provider_message_id, in_reply_to, body, status, created_at)
        VALUES (@ContactId, @Direction, @Provider, @ProviderMessageId, @InReplyTo, @Body, @Status, @Now)
        RETURNING id
        """;

    public Task<long> InsertInboundAsync(DbTransaction tx, long contactId, string provider, string providerMessageId, string body, long now) =>
        tx.Connection!.ExecuteScalarAsync<long>(SqlInsert, new
        {
            ContactId = contactId, Direction = "in", Provider = provider, ProviderMessageId = providerMessageId,
            InReplyTo = (long?)null, Body = body, Status = "received", Now = now,
        }, tx);

    /// <summary>A reply carried by the webhook's own response (TwiML), so it is sent the moment we commit.</summary>
    public Task<long> InsertInlineReplyAsync(DbTransaction tx, long contactId, string provider, long inReplyTo, string body, long now) =>
        tx.Connection!.ExecuteScalarAsync<long>(SqlInsert, new
        {
            ContactId = contactId, Direction = "out", Provider = provider, ProviderMessageId = (string?)null,
            InReplyTo = inReplyTo, Body = body, Status = "replied", Now = now,
        }, tx);
}
