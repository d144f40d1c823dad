using System.Data.Common;
using Dapper;

namespace HotlineBot.Storage;

public sealed class ConversationRow
{
    public long Id { get; init; }
    public long ContactId { get; init; }
    public string Status { get; init; } = "";
    public string State { get; init; } = "";
    public long? RemindAt { get; init; }
    public long? ExpiresAt { get; init; }
}

/// <summary>A dialog session as the conversations table stores it, with its timers (Unix ms, null when none).</summary>
public sealed record ConversationWrite(string FlowId, string StepId, string Status, string State, long? RemindAt, long? ExpiresAt);

/// <summary>Dialog state, one active conversation per contact, and the timers that fall due on it.</summary>
public sealed class ConversationStore
{
    // What an inbound message needs once its contact is locked, in one statement (on PostgreSQL one round trip, not two):
    // whether the provider's id was stored already (a retry), and the contact's newest conversation (an active one is
    // resumed, an expired one is told so before starting again). Always one row: the max() of no conversations is NULL,
    // and the conversation's columns are then NULL too (a new sender, a partner's first status code).
    private const string SqlTurn = """
        SELECT (SELECT id FROM messages WHERE provider = @Provider AND direction = 'in' AND provider_message_id = @ProviderMessageId) AS Seen,
               c.id AS Id, c.contact_id AS ContactId, c.status AS Status, c.state AS State
        FROM (SELECT max(id) AS id FROM conversations WHERE contact_id = @ContactId) AS newest
        LEFT JOIN conversations c ON c.id = newest.id
        """;

    /// <summary>The inbound message already stored under the provider's id (a retry), else null; and the contact's newest
    /// conversation. Read after the contact's row lock is taken (<c>ContactStore.UpsertInboundAsync</c>), so both are
    /// what the sender's previous message left.</summary>
    public async Task<(long? Seen, ConversationRow? Latest)> FindTurnAsync(DbTransaction tx, long contactId, string provider, string providerMessageId)
    {
        var row = await tx.Connection!.QuerySingleAsync<TurnRow>(SqlTurn, new { ContactId = contactId, Provider = provider, ProviderMessageId = providerMessageId }, tx);
        return (row.Seen, row.Id is { } id ? new ConversationRow { Id = id, ContactId = row.ContactId!.Value, Status = row.Status!, State = row.State! } : null);
    }

    private sealed class TurnRow
    {
        public long? Seen { get; init; }
        public long? Id { get; init; }
        public long? ContactId { get; init; }
        public string? Status { get; init; }
        public string? State { get; init; }
    }

    // One search per timer, each on its partial index: with both in one OR, SQLite read every conversation.
    private const string SqlDue = """
        SELECT id AS Id, contact_id AS ContactId, status AS Status, state AS State, remind_at AS RemindAt, expires_at AS ExpiresAt
        FROM conversations
        WHERE id IN (SELECT id FROM conversations WHERE status = 'active' AND remind_at <= @Now
                     UNION ALL SELECT id FROM conversations WHERE status = 'active' AND expires_at <= @Now)
        ORDER BY id LIMIT @Limit
        """;

    private const string SqlStillDue = """
        SELECT id AS Id, contact_id AS ContactId, status AS Status, state AS State, remind_at AS RemindAt, expires_at AS ExpiresAt
        FROM conversations
        WHERE id = @Id AND status = 'active' AND (remind_at <= @Now OR expires_at <= @Now)
        """;

    /// <summary>The conversation again, if it is still due: read after taking its contact's lock, so a reminder never
    /// overwrites the answer the citizen sent meanwhile, and fires once whichever instance's job got there first.</summary>
    public Task<ConversationRow?> StillDueAsync(DbTransaction tx, long id, long now) =>
        tx.Connection!.QuerySingleOrDefaultAsync<ConversationRow>(SqlStillDue, new { Id = id, Now = now }, tx);

    /// <summary>Active conversations whose reminder or expiry is due.</summary>
    public async Task<IReadOnlyList<ConversationRow>> FindDueAsync(DbTransaction tx, long now, int limit) =>
        (await tx.Connection!.QueryAsync<ConversationRow>(SqlDue, new { Now = now, Limit = limit }, tx)).AsList();

    private const string SqlInsert = """
        INSERT INTO conversations (contact_id, flow_id, step_id, status, state, remind_at, expires_at, started_at, updated_at)
        VALUES (@ContactId, @FlowId, @StepId, @Status, @State, @RemindAt, @ExpiresAt, @Now, @Now)
        RETURNING id
        """;

    public Task<long> InsertAsync(DbTransaction tx, long contactId, ConversationWrite write, long now) =>
        tx.Connection!.ExecuteScalarAsync<long>(SqlInsert, new
        {
            ContactId = contactId, write.FlowId, write.StepId, write.Status, write.State, write.RemindAt, write.ExpiresAt, Now = now,
        }, tx);

    private const string SqlUpdate = """
        UPDATE conversations SET step_id = @StepId, status = @Status, state = @State, remind_at = @RemindAt,
                                 expires_at = @ExpiresAt, updated_at = @Now
        WHERE id = @Id
        """;

    public Task UpdateAsync(DbTransaction tx, long id, ConversationWrite write, long now) =>
        tx.Connection!.ExecuteAsync(SqlUpdate, new
        {
            Id = id, write.StepId, write.Status, write.State, write.RemindAt, write.ExpiresAt, Now = now,
        }, tx);

    private const string SqlClose = """
        UPDATE conversations SET status = @Status, remind_at = NULL, expires_at = NULL, updated_at = @Now WHERE id = @Id
        """;

    public Task CloseAsync(DbTransaction tx, long id, string status, long now) =>
        tx.Connection!.ExecuteAsync(SqlClose, new { Id = id, Status = status, Now = now }, tx);

    // Retention: an expired dialog whose state is erased can no longer be resumed, so it is marked 'purged'.
    private const string SqlPurgeStates = """
        UPDATE conversations SET state = '{}', status = CASE WHEN status = 'expired' THEN 'purged' ELSE status END
        WHERE id IN (SELECT id FROM conversations WHERE id > @After AND status <> 'active' AND state <> '{}' AND updated_at < @Cutoff
                     ORDER BY id LIMIT @Batch)
        RETURNING id
        """;

    /// <summary>Erases up to <paramref name="batch"/> dialog states of finished dialogs last touched before <paramref name="cutoff"/>,
    /// after id <paramref name="after"/>: each batch goes on where the last one ended, instead of reading again every
    /// conversation the earlier batches passed (on the writer).</summary>
    public async Task<IReadOnlyList<long>> PurgeStatesAsync(DbTransaction tx, long after, long cutoff, int batch) =>
        (await tx.Connection!.QueryAsync<long>(SqlPurgeStates, new { After = after, Cutoff = cutoff, Batch = batch }, tx)).AsList();
}

/// <summary>How a session becomes a row: status, JSON state and the timers the engine computes for it.</summary>
public static class ConversationRows
{
    public static ConversationWrite Of(HotlineBot.Core.Dialogs.DialogSession session, HotlineBot.Core.Dialogs.DialogEngine engine)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(engine);
        var (remindAt, expiresAt) = engine.TimersOf(session);
        return new ConversationWrite(session.FlowId, session.StepId, session.Status.ToString().ToLowerInvariant(),
            DialogJson.Serialize(session), remindAt?.ToUnixTimeMilliseconds(), expiresAt?.ToUnixTimeMilliseconds());
    }
}
