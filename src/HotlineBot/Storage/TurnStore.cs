using System.Data.Common;
using Dapper;
using HotlineBot.Core.Indonesia;

namespace HotlineBot.Storage;

/// <summary>What an inbound message's turn writes once it is decided: the message itself, the conversation's new state
/// (when it goes on in the same conversation) and the replies, answering it.</summary>
/// <param name="CaseId">The case a partner's status code acted on: the message and its reply show on the case page.</param>
/// <param name="Conversation">The conversation that goes on, and its new state; null when none (a status code) or when the
/// turn started a new one (written before, since a case made in the turn names it).</param>
/// <param name="Inline">The replies ride the webhook's response (TwiML): stored as replied. Otherwise outbox rows.</param>
/// <param name="Options">For queued replies, by their index: the answers of a single-choice question (buttons).</param>
public sealed record TurnWrite(
    long ContactId, string Provider, string ProviderMessageId, string Body, long Now, IReadOnlyList<string> Replies, bool Inline,
    long? CaseId = null, (long Id, ConversationWrite State)? Conversation = null, IReadOnlyDictionary<int, IReadOnlyList<string>>? Options = null);

/// <summary>
/// The writes that end an inbound message's turn. On PostgreSQL they are one statement, so one round trip where there
/// were one per row (the message, the state, each reply): on two cores the switches between the service and the
/// server's processes cost more than the statements (tools/README.md, <c>RoundTripTests</c>). SQLite has no
/// <c>INSERT</c> or <c>UPDATE</c> inside <c>WITH</c>, and its one writer is in process: there the stores' own statements
/// write the same rows. Every body passes <see cref="NikRedactor"/> either way.
/// </summary>
public sealed class TurnStore(Database database, MessageStore messages, ConversationStore conversations)
{
    // The replies' in_reply_to is the message's id from the first part, so a retried webhook finds them (MessageStore.
    // RepliesToAsync); ORDER BY keeps their ids, and so the order they are sent and shown in, as the dialog said them.
    // The conversation's part updates nothing when @ConversationId is NULL.
    private const string SqlTurnPostgres = """
        WITH inbound AS (
            INSERT INTO messages (contact_id, direction, provider, provider_message_id, body, status, created_at, case_id)
            VALUES (@ContactId, 'in', @Provider, @ProviderMessageId, @Body, 'received', @Now, @CaseId)
            RETURNING id
        ), conversation AS (
            UPDATE conversations SET step_id = @StepId, status = @Status, state = @State, remind_at = @RemindAt,
                                     expires_at = @ExpiresAt, updated_at = @Now
            WHERE id = @ConversationId
        )
        INSERT INTO messages (contact_id, direction, provider, in_reply_to, body, options, status, due_at, created_at, case_id)
        SELECT @ContactId, 'out', @Provider, inbound.id, reply.body, reply.options, @ReplyStatus, @DueAt, @Now, @CaseId
        FROM inbound, unnest(@Replies::text[], @ReplyOptions::text[]) WITH ORDINALITY AS reply(body, options, n)
        ORDER BY reply.n
        RETURNING id
        """;

    /// <returns>The outbox rows written (queued replies), to post once committed.</returns>
    public async Task<List<QueuedMessage>> WriteAsync(DbTransaction tx, TurnWrite turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (database.Dialect == "postgres")
        {
            var state = turn.Conversation?.State;
            var ids = await tx.Connection!.QueryAsync<long>(SqlTurnPostgres, new
            {
                turn.ContactId, turn.Provider, turn.ProviderMessageId, Body = NikRedactor.Redact(turn.Body), turn.Now, turn.CaseId,
                ConversationId = turn.Conversation?.Id, state?.StepId, state?.Status, state?.State, state?.RemindAt, state?.ExpiresAt,
                Replies = turn.Replies.Select(NikRedactor.Redact).ToArray(),
                ReplyOptions = turn.Replies.Select((_, i) => turn.Inline ? null : MessageStore.OptionsJson(turn.Options?.GetValueOrDefault(i))).ToArray(),
                ReplyStatus = turn.Inline ? "replied" : "queued", DueAt = turn.Inline ? null : (long?)turn.Now,
            }, tx);
            return turn.Inline ? [] : ids.Select(id => new QueuedMessage(id, turn.ContactId)).ToList();
        }

        var inboundId = await messages.InsertInboundAsync(tx, turn.ContactId, turn.Provider, turn.ProviderMessageId, turn.Body, turn.Now, turn.CaseId);
        if (turn.Conversation is { } conversation) await conversations.UpdateAsync(tx, conversation.Id, conversation.State, turn.Now);
        var queued = new List<QueuedMessage>();
        for (var i = 0; i < turn.Replies.Count; i++)
        {
            if (turn.Inline) await messages.InsertInlineReplyAsync(tx, turn.ContactId, turn.Provider, inboundId, turn.Replies[i], turn.Now, turn.CaseId);
            else queued.Add(await messages.InsertQueuedAsync(tx, turn.ContactId, turn.Provider, turn.Replies[i], turn.Now, inboundId,
                options: turn.Options?.GetValueOrDefault(i), caseId: turn.CaseId));
        }
        return queued;
    }
}
